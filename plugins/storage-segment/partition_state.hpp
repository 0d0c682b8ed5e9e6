// The small durable record of a partition beside its segments, the file
// "partition-state" (text, replaced atomically):
//   brokkr-partition-state 1
//   log_start_offset <n>      first offset readable (DeleteRecords, retention)
//   recovery_point <n>        everything below was fsynced: crash recovery
//                             starts at the segment holding it
//   cleaner_offset <n>        compaction: segments below are already clean
//   tombstone_expiry_ms <n>   compaction: earliest time a kept tombstone may
//                             be removed (-1: none)
#pragma once

#include <cstdint>
#include <filesystem>

namespace brokkr::segment {

struct PartitionState {
  std::int64_t log_start_offset = 0;
  std::int64_t recovery_point = 0;
  std::int64_t cleaner_offset = 0;
  std::int64_t tombstone_expiry_ms = -1;
  bool operator==(const PartitionState&) const = default;
};

// Defaults when the file is missing or unreadable.
PartitionState read_partition_state(const std::filesystem::path& dir);
void write_partition_state(const std::filesystem::path& dir, const PartitionState& state);

}  // namespace brokkr::segment
