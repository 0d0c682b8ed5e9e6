// Helpers the plugin unit tests share: a temporary directory removed with
// everything in it, and a logger that keeps the lines it is told.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "brokkr/sdk/logger.hpp"

namespace brokkr::test {

class TempDir {
 public:
  // A fresh directory "<prefix>-XXXXXX" under the system temp directory.
  explicit TempDir(std::string_view prefix = "brokkr-test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
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

// Keeps every line; also prints them when BROKKR_TEST_VERBOSE is set.
class TestLogger : public brokkr::sdk::Logger {
 public:
  bool enabled(brokkr::sdk::LogLevel) const override { return true; }
  void log(brokkr::sdk::LogLevel level, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message);
    if (std::getenv("BROKKR_TEST_VERBOSE")) {
      std::fprintf(stderr, "[%d] %.*s\n", static_cast<int>(level), static_cast<int>(message.size()),
                   message.data());
    }
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  // How many lines contain `fragment`.
  int count(std::string_view fragment) const {
    int n = 0;
    for (const auto& line : lines()) n += line.find(fragment) != std::string::npos;
    return n;
  }
  bool saw(std::string_view fragment) const { return count(fragment) > 0; }
  void clear() {
    std::lock_guard lock(mutex_);
    lines_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace brokkr::test
