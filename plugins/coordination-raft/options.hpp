// The raft plugin's configuration: the [plugins.raft] sub-table.
//   dir                        metadata directory (default <data_dir>/metadata)
//   fsync                      fsync before acknowledging a commit (default true)
//   snapshot_interval_entries  snapshot and compact the log after this many
//                              entries (default 10000)
#pragma once

#include <cstdint>
#include <filesystem>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::raft {

struct RaftOptions {
  std::filesystem::path dir;
  bool fsync = true;
  std::uint64_t snapshot_interval_entries = 10000;
  std::int32_t node_id = 0;
};

// Throws sdk::ConfigError naming the offending key.
RaftOptions parse_options(const sdk::PluginContext& context);

}  // namespace brokkr::raft
