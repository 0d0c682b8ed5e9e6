// The two sparse indexes of a segment, over IndexFile.
//
// `.index`: entries of (relative offset int32, file position int32), big
// endian, one every index_interval_bytes of log: the base offset of a batch
// and where that batch starts. Strictly increasing in both fields.
//
// `.timeindex`: entries of (timestamp int64, relative offset int32): the
// largest timestamp seen so far in the segment and the base offset of the
// batch holding it, added together with offset entries when the largest
// timestamp grew, plus a final entry when the segment is sealed so the last
// entry always holds the segment's largest timestamp. Strictly increasing in
// timestamp, non-decreasing in offset.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "index_file.hpp"

namespace brokkr::segment {

struct OffsetEntry {
  std::int64_t offset = 0;    // absolute
  std::int64_t position = 0;
};

struct TimeEntry {
  std::int64_t timestamp = 0;
  std::int64_t offset = 0;    // absolute
};

inline constexpr std::size_t kOffsetEntrySize = 8;
inline constexpr std::size_t kTimeEntrySize = 12;

class OffsetIndex {
 public:
  OffsetIndex(std::filesystem::path path, std::int64_t base_offset)
      : file_(std::move(path), kOffsetEntrySize), base_(base_offset) {}
  IndexFile& file() { return file_; }
  const IndexFile& file() const { return file_; }

  std::size_t entries() const { return file_.entries(); }
  OffsetEntry at(std::size_t i) const;
  bool append(std::int64_t offset, std::int64_t position);
  // The last entry with offset <= `offset` and position <= `max_position`,
  // or {base, 0}.
  OffsetEntry floor(std::int64_t offset, std::int64_t max_position) const;
  // The last entry with offset <= `max_offset` and position <= `max_position`
  // (both inclusive), or nullopt.
  std::optional<OffsetEntry> last_within(std::int64_t max_offset, std::int64_t max_position) const;
  // How many leading entries are consistent (increasing, inside a log of
  // `log_size` bytes); used to sanity-check a loaded index.
  std::size_t valid_prefix(std::int64_t log_size) const;

  static void encode(std::uint8_t* out, std::int64_t relative_offset, std::int64_t position);

 private:
  IndexFile file_;
  std::int64_t base_;
};

class TimeIndex {
 public:
  TimeIndex(std::filesystem::path path, std::int64_t base_offset)
      : file_(std::move(path), kTimeEntrySize), base_(base_offset) {}
  IndexFile& file() { return file_; }
  const IndexFile& file() const { return file_; }

  std::size_t entries() const { return file_.entries(); }
  TimeEntry at(std::size_t i) const;
  std::optional<TimeEntry> last() const;
  // Appends when `timestamp` is larger than the last entry's.
  bool maybe_append(std::int64_t timestamp, std::int64_t offset);
  // The last entry with timestamp < `timestamp`, or nullopt.
  std::optional<TimeEntry> last_before(std::int64_t timestamp) const;
  std::size_t valid_prefix(std::int64_t next_offset) const;

  static void encode(std::uint8_t* out, std::int64_t timestamp, std::int64_t relative_offset);

 private:
  IndexFile file_;
  std::int64_t base_;
};

// Index entries computed off-line (recovery, compaction, truncation), written
// out as a whole new file.
struct IndexBuilder {
  std::vector<std::uint8_t> offset_bytes;
  std::vector<std::uint8_t> time_bytes;
  std::int64_t last_time = -1;
  void add_offset(std::int64_t relative_offset, std::int64_t position);
  void add_time(std::int64_t timestamp, std::int64_t relative_offset);
};

}  // namespace brokkr::segment
