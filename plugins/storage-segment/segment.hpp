// One segment of a partition log: a .log file of record batches plus its two
// sparse indexes. The partition's append path is the only writer (and only
// for the active, last segment); readers and the background thread use the
// const lookups concurrently. A segment that is replaced (compaction,
// truncation) or deleted stays usable by whoever still holds it: its file
// descriptor lives in a LogFile that FileRanges keep alive.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "brokkr/sdk/record_batch.hpp"
#include "plugin_common/file_util.hpp"
#include "indexes.hpp"
#include "log_reader.hpp"

namespace brokkr::segment {

// The open .log file: what a FileRange's keep_alive holds.
struct LogFile {
  plugin_common::UniqueFd fd;
  std::filesystem::path path;
};

// What a segment knows about its contents, from a scan or from its indexes.
struct SegmentState {
  std::int64_t size = 0;
  std::int64_t next_offset = 0;            // last offset + 1; the base offset when empty
  std::int64_t max_timestamp = -1;         // largest batch max_timestamp, -1 when none
  std::int64_t max_timestamp_offset = -1;  // base offset of the batch holding it
  std::int64_t first_batch_timestamp = -1; // max_timestamp of the first batch
  std::int64_t bytes_since_index = 0;      // log bytes after the last offset index entry
};

struct Located {
  std::int64_t position = 0;
  sdk::record_batch::BatchHeader header;
};

class Segment {
 public:
  // A new, empty, active segment (creates its files).
  static std::shared_ptr<Segment> create(const std::filesystem::path& dir, std::int64_t base_offset,
                                         std::int64_t index_max_bytes, std::int64_t now_ms);
  // An existing segment whose index files are known to be good for
  // `offset_entries` / `time_entries` entries.
  static std::shared_ptr<Segment> open(const std::filesystem::path& dir, std::int64_t base_offset,
                                       std::shared_ptr<LogFile> log, const SegmentState& state,
                                       std::size_t offset_entries, std::size_t time_entries,
                                       bool active, std::int64_t index_max_bytes,
                                       std::int64_t now_ms);

  Segment(std::int64_t base_offset, std::shared_ptr<LogFile> log, const std::filesystem::path& dir);

  // ---- any thread
  std::int64_t base_offset() const { return base_; }
  std::int64_t size() const { return size_.load(std::memory_order_acquire); }
  std::int64_t next_offset() const { return next_offset_.load(std::memory_order_acquire); }
  std::int64_t max_timestamp() const { return max_timestamp_.load(std::memory_order_acquire); }
  const std::shared_ptr<LogFile>& log() const { return log_; }
  const OffsetIndex& offset_index() const { return offset_index_; }
  const TimeIndex& time_index() const { return time_index_; }
  std::int64_t created_ms() const { return created_ms_; }

  // The first batch whose last offset is >= `offset`, among the whole
  // batches before `limit` (a size snapshot).
  std::optional<Located> locate(std::int64_t offset, std::int64_t limit, LogReader& reader) const;
  // Where a run of whole batches starting at a batch ending at `first_end`
  // stops: not past `limit_position`, and only batches whose last offset is
  // < `max_offset`.
  std::int64_t extend_run(std::int64_t first_end, std::int64_t limit_position,
                          std::int64_t max_offset, LogReader& reader) const;
  // The first batch with max_timestamp >= `timestamp` and last offset >=
  // `min_offset`, among the whole batches before reader.end().
  std::optional<Located> find_timestamp(std::int64_t timestamp, std::int64_t min_offset,
                                        LogReader& reader) const;

  // ---- the partition's writer only
  bool index_full() const { return offset_index_.file().full() || time_index_.file().full(); }
  std::int64_t first_batch_timestamp() const { return first_batch_timestamp_; }
  // Writes whole, already checked batches at the end, then indexes them.
  void append(std::span<const std::uint8_t> batches, std::int32_t index_interval_bytes);
  // The segment stops being active: final time index entry, indexes trimmed.
  void seal();
  // fdatasync of the log and both indexes.
  void flush();

  // ---- the partition's structure lock held
  // Renames the segment's files to "<name>.deleted" and returns the new
  // names; the caller removes them (outside its locks).
  std::vector<std::filesystem::path> rename_for_delete();

 private:
  std::int64_t base_;
  std::shared_ptr<LogFile> log_;
  OffsetIndex offset_index_;
  TimeIndex time_index_;
  std::atomic<std::int64_t> size_{0};
  std::atomic<std::int64_t> next_offset_{0};
  std::atomic<std::int64_t> max_timestamp_{-1};
  // Writer state.
  std::int64_t max_timestamp_offset_ = -1;
  std::int64_t first_batch_timestamp_ = -1;
  std::int64_t bytes_since_index_ = 0;
  std::int64_t created_ms_ = 0;
};

using SegmentPtr = std::shared_ptr<Segment>;

}  // namespace brokkr::segment
