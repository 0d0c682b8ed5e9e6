// The broker process: wires the plugins, metadata cache, handlers and
// listeners together, runs until SIGTERM/SIGINT, then shuts down cleanly.
#pragma once

#include <filesystem>
#include <vector>

#include "config/broker_config.hpp"

namespace brokkr::app {

// The plugin directories to search: the configured ones, or the default
// beside the executable (<bindir>/../<libdir>/brokkr/plugins), which is right
// both in the build tree and when installed.
std::vector<std::filesystem::path> plugin_directories(const config::BrokerConfig& config);

class Broker {
 public:
  explicit Broker(config::BrokerConfig config) : config_(std::move(config)) {}
  // Blocks until a shutdown signal; returns the process exit code.
  // Throws on start-up failure (the message is one line, naming the cause).
  int run();

 private:
  config::BrokerConfig config_;
};

}  // namespace brokkr::app
