// Logging sink the kernel hands to each plugin (backed by the kernel's
// logging system, so plugin lines share the broker's format and levels).
#pragma once

#include <string_view>

namespace brokkr::sdk {

enum class LogLevel { trace, debug, info, warn, error, critical };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual bool enabled(LogLevel level) const = 0;
  virtual void log(LogLevel level, std::string_view message) = 0;

  void trace(std::string_view m) { if (enabled(LogLevel::trace)) log(LogLevel::trace, m); }
  void debug(std::string_view m) { if (enabled(LogLevel::debug)) log(LogLevel::debug, m); }
  void info(std::string_view m) { log(LogLevel::info, m); }
  void warn(std::string_view m) { log(LogLevel::warn, m); }
  void error(std::string_view m) { log(LogLevel::error, m); }
};

}  // namespace brokkr::sdk
