#include "index_file.hpp"

#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>

namespace brokkr::segment {

IndexFile::IndexFile(std::filesystem::path path, std::size_t entry_size)
    : path_(std::move(path)), entry_size_(entry_size) {}

IndexFile::~IndexFile() { unmap(); }

void IndexFile::unmap() {
  if (map_) ::munmap(map_, map_bytes_);
  map_ = nullptr;
  map_bytes_ = 0;
}

void IndexFile::load(bool keep_open) {
  fd_ = plugin_common::open_file(path_, O_RDWR | O_CREAT);
  auto size = static_cast<std::size_t>(plugin_common::file_size(fd_.get(), path_));
  std::size_t n = size / entry_size_;
  unmap();
  if (n > 0) {
    void* p = ::mmap(nullptr, n * entry_size_, PROT_READ, MAP_SHARED, fd_.get(), 0);
    if (p == MAP_FAILED) plugin_common::throw_errno("cannot map", path_);
    map_ = static_cast<std::uint8_t*>(p);
    map_bytes_ = n * entry_size_;
  }
  capacity_ = n;
  writable_ = false;
  entries_.store(n, std::memory_order_release);
  if (!keep_open) fd_.reset();
}

void IndexFile::set_entries(std::size_t n) {
  if (n < entries()) entries_.store(n, std::memory_order_release);
}

void IndexFile::make_writable(std::int64_t max_bytes) {
  std::size_t n = entries();
  std::size_t capacity = static_cast<std::size_t>(max_bytes) / entry_size_;
  if (capacity < n) capacity = n;  // the limit shrank: the index counts as full
  unmap();
  std::size_t bytes = capacity * entry_size_;
  plugin_common::truncate_file(fd_.get(), static_cast<std::int64_t>(bytes), path_);
  if (bytes > 0) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), 0);
    if (p == MAP_FAILED) plugin_common::throw_errno("cannot map", path_);
    map_ = static_cast<std::uint8_t*>(p);
    map_bytes_ = bytes;
  }
  capacity_ = capacity;
  writable_ = true;
}

bool IndexFile::append(const std::uint8_t* entry) {
  std::size_t n = entries_.load(std::memory_order_relaxed);
  if (!writable_ || n >= capacity_) return false;
  std::memcpy(map_ + n * entry_size_, entry, entry_size_);
  entries_.store(n + 1, std::memory_order_release);
  return true;
}

void IndexFile::seal() {
  if (!writable_ || !fd_) return;
  // Pages past the new end are never touched again: readers stop at entries().
  plugin_common::truncate_file(fd_.get(), static_cast<std::int64_t>(entries() * entry_size_), path_);
  capacity_ = entries();
  writable_ = false;
}

void IndexFile::sync() {
  // On Linux the page cache is shared with the mapping, so fdatasync also
  // writes back entries stored through it.
  if (fd_) plugin_common::sync_data(fd_.get(), path_);
}

}  // namespace brokkr::segment
