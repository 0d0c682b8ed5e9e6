// The segment plugin's configuration: the [plugins.segment] sub-table.
//   dir                      where the partition directories live
//                            (default <data_dir>/logs)
//   maintenance_interval_ms  period of the engine's background thread
//                            (retention, compaction, time-based roll, flush
//                            policy); 0 disables the thread, leaving
//                            run_maintenance to the caller (default 1000)
//   index_max_bytes          size limit of each offset / time index file,
//                            Kafka's segment.index.bytes: a full index rolls
//                            the segment (default 10485760)
#pragma once

#include <cstdint>
#include <filesystem>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::segment {

struct SegmentOptions {
  std::filesystem::path dir;
  std::int64_t maintenance_interval_ms = 1000;
  std::int64_t index_max_bytes = 10 * 1024 * 1024;
};

// Throws sdk::ConfigError naming the offending key.
SegmentOptions parse_options(const sdk::PluginContext& context);

}  // namespace brokkr::segment
