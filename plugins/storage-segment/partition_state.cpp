#include "partition_state.hpp"

#include <sstream>
#include <string>

#include "plugin_common/file_util.hpp"
#include "segment_files.hpp"

namespace brokkr::segment {

PartitionState read_partition_state(const std::filesystem::path& dir) {
  PartitionState state;
  auto text = plugin_common::read_whole_file(dir / kStateFile);
  if (!text) return state;
  std::istringstream in(*text);
  std::string magic;
  int version = 0;
  if (!(in >> magic >> version) || magic != "brokkr-partition-state" || version != 1) return {};
  std::string key;
  std::int64_t value = 0;
  while (in >> key >> value) {
    if (key == "log_start_offset") state.log_start_offset = value;
    else if (key == "recovery_point") state.recovery_point = value;
    else if (key == "cleaner_offset") state.cleaner_offset = value;
    else if (key == "tombstone_expiry_ms") state.tombstone_expiry_ms = value;
  }
  return state;
}

void write_partition_state(const std::filesystem::path& dir, const PartitionState& state) {
  std::string text = "brokkr-partition-state 1\nlog_start_offset " +
                     std::to_string(state.log_start_offset) + "\nrecovery_point " +
                     std::to_string(state.recovery_point) + "\ncleaner_offset " +
                     std::to_string(state.cleaner_offset) + "\ntombstone_expiry_ms " +
                     std::to_string(state.tombstone_expiry_ms) + "\n";
  plugin_common::atomic_write_file(dir / kStateFile, text);
}

}  // namespace brokkr::segment
