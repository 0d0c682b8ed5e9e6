// Helpers for the raft plugin's tests: a temporary directory, a logger that
// keeps what it is told, a PluginContext, and waiting for async callbacks.
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

namespace raft_test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "brokkr-raft-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestLogger : public brokkr::sdk::Logger {
 public:
  bool enabled(brokkr::sdk::LogLevel) const override { return true; }
  void log(brokkr::sdk::LogLevel level, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message);
    if (std::getenv("BROKKR_TEST_VERBOSE")) fprintf(stderr, "[%d] %.*s\n", static_cast<int>(level),
                                                    static_cast<int>(message.size()), message.data());
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  bool saw(std::string_view fragment) const {
    for (const auto& line : lines()) {
      if (line.find(fragment) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

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
