#include "options.hpp"

namespace brokkr::segment {

SegmentOptions parse_options(const sdk::PluginContext& context) {
  const sdk::ConfigTable& config = context.config;
  config.reject_unknown_keys({"dir", "maintenance_interval_ms", "index_max_bytes"});

  SegmentOptions options;
  if (config.contains("dir")) {
    options.dir = config.get_string("dir");
    if (options.dir.empty()) config.fail("dir", "must not be empty");
  } else if (!context.data_dir.empty()) {
    options.dir = std::filesystem::path(context.data_dir) / "logs";
  } else {
    config.fail("dir", "is required when the broker has no data directory");
  }
  options.maintenance_interval_ms = config.get_int("maintenance_interval_ms", 1000);
  if (options.maintenance_interval_ms < 0) {
    config.fail("maintenance_interval_ms", "must be 0 (disabled) or positive");
  }
  options.index_max_bytes = config.get_int("index_max_bytes", 10 * 1024 * 1024);
  // At least a couple of entries of each index (12 bytes per time entry);
  // positions in the index are 32-bit, so a larger file is pointless.
  if (options.index_max_bytes < 24 || options.index_max_bytes > INT32_MAX) {
    config.fail("index_max_bytes", "must be between 24 and 2147483647");
  }
  return options;
}

}  // namespace brokkr::segment
