// The durable Raft log: entries (term, index, payload) appended to one file,
// each record checked by a CRC.
//
// File layout (little-endian):
//   header:  "BRKRLOG1" | u64 base_index | u64 base_term | u32 crc32(previous 24 bytes)
//   records: u32 crc32(rest of record) | u32 payload length | u64 term | u64 index | payload
//
// base_index/base_term describe the last entry compacted away (the snapshot
// point; 0/0 for none), so the first record holds base_index + 1. On open,
// the first incomplete or corrupt record and everything after it is cut off:
// a crash mid-append leaves a torn tail, never a gap.
//
// Not thread-safe: the owner serializes calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plugin_common/file_util.hpp"

namespace brokkr::raft {

struct LogEntry {
  std::uint64_t term = 0;
  std::uint64_t index = 0;
  std::string payload;
  bool operator==(const LogEntry&) const = default;
};

struct LogRecovery {
  std::uint64_t entries = 0;          // complete entries found
  std::uint64_t truncated_bytes = 0;  // cut off the tail
  std::string truncation_reason;      // why, when bytes were cut
};

class RaftLog {
 public:
  static constexpr std::size_t kHeaderSize = 28;
  static constexpr std::size_t kRecordHeaderSize = 24;
  static constexpr std::uint32_t kMaxPayload = 256u << 20;

  // Opens the log at `path`; a missing file is created empty with the given
  // base. `durable`: sync() really fsyncs.
  RaftLog(std::filesystem::path path, bool durable, std::uint64_t new_base_index = 0,
          std::uint64_t new_base_term = 0);

  std::uint64_t base_index() const { return base_index_; }
  std::uint64_t base_term() const { return base_term_; }
  std::uint64_t first_index() const { return base_index_ + 1; }
  std::uint64_t last_index() const { return base_index_ + slots_.size(); }
  std::uint64_t last_term() const { return slots_.empty() ? base_term_ : slots_.back().term; }
  bool empty() const { return slots_.empty(); }
  // The term of `index` when known (base_index included).
  std::optional<std::uint64_t> term_at(std::uint64_t index) const;
  // Entries first_index() .. last_index(); throws std::out_of_range otherwise.
  LogEntry entry(std::uint64_t index) const;
  std::vector<LogEntry> entries(std::uint64_t from, std::uint64_t to_inclusive) const;

  // Writes an entry after the last one (index must be last_index() + 1, the
  // term not below last_term()). Not durable until sync().
  void append(const LogEntry& entry);
  void sync();
  // Drops every entry after `index` (a follower's conflicting suffix).
  void truncate_after(std::uint64_t index);
  // Drops every entry up to and including `index`, which a snapshot now
  // covers (`term` is its term). The file is rewritten atomically.
  void compact_to(std::uint64_t index, std::uint64_t term);

  const LogRecovery& recovery() const { return recovery_; }
  std::uint64_t size_bytes() const { return end_offset_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Slot {
    std::uint64_t term;
    std::uint64_t offset;  // of the record header
    std::uint32_t length;  // of the payload
  };
  static std::string encode_header(std::uint64_t base_index, std::uint64_t base_term);
  static std::string encode_record(const LogEntry& entry);
  void load();
  const Slot& slot(std::uint64_t index) const;

  std::filesystem::path path_;
  bool durable_;
  plugin_common::UniqueFd fd_;
  std::uint64_t base_index_ = 0;
  std::uint64_t base_term_ = 0;
  std::vector<Slot> slots_;
  std::uint64_t end_offset_ = 0;
  LogRecovery recovery_;
};

}  // namespace brokkr::raft
