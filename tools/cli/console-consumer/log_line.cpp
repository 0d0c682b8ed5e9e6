#include "log_line.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace brokkr::cli {

void log_line(const char* level, const std::string& message, const char* logger) {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
  char millis[8];
  std::snprintf(millis, sizeof millis, ",%03d", static_cast<int>(ms));
  std::cerr << "[" << stamp << millis << "] " << level << " " << message << " (" << logger << ")\n";
  std::cerr.flush();
}

}  // namespace brokkr::cli
