// Helpers for the raft plugin's tests: a PluginContext and waiting for async
// callbacks (TempDir and TestLogger come from support/test_dirs.hpp).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "brokkr/sdk/config.hpp"
#include "brokkr/sdk/logger.hpp"
#include "brokkr/sdk/plugin.hpp"
#include "support/test_dirs.hpp"

namespace raft_test {

using brokkr::test::TempDir;
using brokkr::test::TestLogger;

inline brokkr::sdk::PluginContext make_context(const std::filesystem::path& data_dir,
                                               std::shared_ptr<TestLogger> logger,
                                               std::int32_t node_id = 1) {
  brokkr::sdk::PluginContext context;
  context.plugin_name = "raft";
  context.config = brokkr::sdk::ConfigTable("plugins.raft");
  context.logger = std::move(logger);
  context.data_dir = data_dir.string();
  context.node_id = node_id;
  return context;
}

inline brokkr::sdk::ConfigValue value(bool b) { return {b}; }
inline brokkr::sdk::ConfigValue value(std::int64_t i) { return {i}; }
inline brokkr::sdk::ConfigValue value(const char* s) { return {std::string(s)}; }

// Polls `done` until it holds or the timeout passes.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

}  // namespace raft_test
