// Names of the files in a partition directory.
//   <20-digit base offset>.log / .index / .timeindex   a segment
//   <name>.deleted      a file being deleted (removed at startup if left over)
//   <name>.cleaned      compaction output not yet committed (removed at startup)
//   <base>.log.swap     committed compaction output: renamed into place at startup
//   partition-state     log start offset, recovery point, cleaner state
//   leader-epoch-checkpoint
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "brokkr/sdk/storage.hpp"

namespace brokkr::segment {

inline constexpr const char* kLogSuffix = ".log";
inline constexpr const char* kIndexSuffix = ".index";
inline constexpr const char* kTimeIndexSuffix = ".timeindex";
inline constexpr const char* kDeletedSuffix = ".deleted";
inline constexpr const char* kCleanedSuffix = ".cleaned";
inline constexpr const char* kSwapSuffix = ".swap";
inline constexpr const char* kStateFile = "partition-state";
inline constexpr const char* kEpochFile = "leader-epoch-checkpoint";
inline constexpr const char* kCleanShutdownFile = ".clean-shutdown";
inline constexpr const char* kLockFile = ".lock";
inline constexpr const char* kDeletedDirSuffix = ".delete";

// "00000000000000001234"
std::string offset_file_stem(std::int64_t base_offset);
std::filesystem::path segment_path(const std::filesystem::path& dir, std::int64_t base_offset,
                                   const char* suffix);
// The base offset of "<20 digits><suffix>", or nullopt.
std::optional<std::int64_t> parse_segment_name(const std::string& file_name, const char* suffix);

// "<topic>-<partition>"
std::string partition_dir_name(const sdk::PartitionId& id);
// The partition of a directory name, or nullopt (e.g. "x.delete", "notes").
std::optional<sdk::PartitionId> parse_partition_dir_name(const std::string& name);

}  // namespace brokkr::segment
