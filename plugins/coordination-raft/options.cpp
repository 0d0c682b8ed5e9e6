#include "options.hpp"

namespace brokkr::raft {

RaftOptions parse_options(const sdk::PluginContext& context) {
  const sdk::ConfigTable& config = context.config;
  config.reject_unknown_keys({"dir", "fsync", "snapshot_interval_entries"});

  RaftOptions options;
  options.node_id = context.node_id;
  if (config.contains("dir")) {
    options.dir = config.get_string("dir");
    if (options.dir.empty()) config.fail("dir", "must not be empty");
  } else if (!context.data_dir.empty()) {
    options.dir = std::filesystem::path(context.data_dir) / "metadata";
  } else {
    config.fail("dir", "is required when the broker has no data directory");
  }
  options.fsync = config.get_bool("fsync", true);
  std::int64_t interval = config.get_int("snapshot_interval_entries", 10000);
  if (interval < 1) config.fail("snapshot_interval_entries", "must be at least 1");
  options.snapshot_interval_entries = static_cast<std::uint64_t>(interval);
  return options;
}

}  // namespace brokkr::raft
