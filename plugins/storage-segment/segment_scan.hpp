// Walking a whole segment file batch by batch (crash recovery, rebuilding a
// damaged index, compaction output), computing what the segment holds and
// its indexes as new files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "indexes.hpp"
#include "segment.hpp"

namespace brokkr::segment {

struct ScanOutcome {
  SegmentState state;       // of the valid prefix (state.size is its length)
  IndexBuilder indexes;
  std::int64_t batches = 0;
  std::string problem;      // why the scan stopped before the end; empty when it did not
};

// Checks every batch (with its CRC when `verify_crc`) from the start of the
// file until the first invalid one.
ScanOutcome scan_segment(const LogFile& log, std::int64_t base_offset, std::int64_t file_size,
                         std::int32_t index_interval_bytes, bool verify_crc);

// Indexes the way Segment::append builds them, fed batch by batch.
class IndexAccumulator {
 public:
  IndexAccumulator(std::int64_t base_offset, std::int32_t index_interval_bytes)
      : base_(base_offset), interval_(index_interval_bytes) {
    state_.next_offset = base_offset;
  }
  void add(std::int64_t position, const sdk::record_batch::BatchHeader& h);
  // Adds the final time entry (as Segment::seal does).
  void finish();
  SegmentState& state() { return state_; }
  IndexBuilder& indexes() { return indexes_; }

 private:
  std::int64_t base_;
  std::int32_t interval_;
  SegmentState state_;
  IndexBuilder indexes_;
};

// Writes the two index files of segment `base_offset` in `dir` (each as a
// new file, tmp + fsync + rename).
void write_index_files(const std::filesystem::path& dir, std::int64_t base_offset,
                       const IndexBuilder& indexes, const char* extra_suffix = "");

}  // namespace brokkr::segment
