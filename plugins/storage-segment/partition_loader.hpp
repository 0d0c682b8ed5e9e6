// Opening a partition directory: cleans up after interrupted deletions and
// compactions, loads the segments, and runs crash recovery when the last
// shutdown was not clean.
//
// Recovery: every segment from the one holding the recovery point on (and
// always the last one) is scanned batch by batch: magic 2, sane length that
// fits the file, offsets increasing, CRC-32C. At the first invalid batch the
// segment is truncated there, later segments are deleted and one warning
// names the partition, the offset and the byte position. Scanned segments
// get new indexes. Other segments are loaded with their indexes as they are
// after a sanity check (damaged ones are rebuilt by a scan).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "brokkr/sdk/logger.hpp"
#include "partition_state.hpp"
#include "segment.hpp"

namespace brokkr::segment {

struct LoadContext {
  std::filesystem::path dir;
  std::string name;  // "<topic>-<partition>", for log lines
  std::int32_t index_interval_bytes = 4096;
  std::int64_t index_max_bytes = 10 * 1024 * 1024;
  bool clean_shutdown = false;
  sdk::Logger* logger = nullptr;
  std::int64_t now_ms = 0;
};

struct LoadedPartition {
  std::vector<SegmentPtr> segments;  // at least one; the last one is active
  PartitionState state;
  std::int64_t batches_scanned = 0;  // by recovery or index rebuilds
};

// Creates the directory when missing.
LoadedPartition load_partition(const LoadContext& context);

// Removes the files of segment `base_offset` (missing ones are fine).
void remove_segment_files(const std::filesystem::path& dir, std::int64_t base_offset);

// Deletes a partition directory: renamed to "<dir>.delete" first (it is gone
// from the log directory at once, and a crash leaves only that name, removed
// at the next start), then removed.
void delete_partition_dir(const std::filesystem::path& dir);

}  // namespace brokkr::segment
