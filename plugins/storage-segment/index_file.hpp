// A memory-mapped file of fixed-size entries: the storage behind the offset
// and time indexes. One writer appends (the partition's append path), any
// number of readers look entries up concurrently: an entry is written into
// the mapping first and published by bumping the entry count (release).
//
// The active segment's index is preallocated to its maximum size (a sparse
// file) and mapped once, so appends never remap; seal() trims the file to the
// entries in use when the segment stops being active. The file never shrinks
// below an entry a reader may look at: rewrites (recovery, truncation,
// compaction) write a new file and open a new IndexFile over it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "plugin_common/file_util.hpp"

namespace brokkr::segment {

class IndexFile {
 public:
  IndexFile(std::filesystem::path path, std::size_t entry_size);
  ~IndexFile();
  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;

  // Opens and maps the file (creating it empty when missing); every whole
  // entry counts as in use until set_entries() says otherwise. Without
  // `keep_open` the descriptor is closed once the file is mapped (a sealed,
  // durable index needs none: one descriptor per closed segment, the log's).
  void load(bool keep_open = true);
  // Keeps only the first `n` entries. Only before readers see this index.
  void set_entries(std::size_t n);
  // Extends the file to hold `max_bytes` of entries and maps it writable.
  // Only before readers see this index, and only after load(true).
  void make_writable(std::int64_t max_bytes);
  // Writer only. False when the index is full.
  bool append(const std::uint8_t* entry);
  // Writer only: trims the file to the entries in use; the index stays
  // readable (no more appends).
  void seal();
  void sync();

  std::size_t entries() const { return entries_.load(std::memory_order_acquire); }
  bool full() const { return entries() >= capacity_; }
  const std::uint8_t* entry(std::size_t i) const { return map_ + i * entry_size_; }
  std::size_t entry_size() const { return entry_size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void unmap();

  std::filesystem::path path_;
  std::size_t entry_size_;
  plugin_common::UniqueFd fd_;
  std::uint8_t* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  std::size_t capacity_ = 0;  // entries the mapping can hold
  bool writable_ = false;
  std::atomic<std::size_t> entries_{0};
};

}  // namespace brokkr::segment
