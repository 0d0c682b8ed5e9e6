#include "logging/logging.hpp"

#include <map>
#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>

#include "config/config_error.hpp"

namespace brokkr::logging {
namespace {

struct Registry {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum default_level = spdlog::level::info;
  std::map<std::string, spdlog::level::level_enum> levels;
  std::map<std::string, std::shared_ptr<spdlog::logger>> loggers;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

class SpdlogPluginLogger final : public sdk::Logger {
 public:
  explicit SpdlogPluginLogger(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
  bool enabled(sdk::LogLevel level) const override { return logger_->should_log(convert(level)); }
  void log(sdk::LogLevel level, std::string_view message) override {
    logger_->log(convert(level), message);
  }

 private:
  static spdlog::level::level_enum convert(sdk::LogLevel level) {
    switch (level) {
      case sdk::LogLevel::trace: return spdlog::level::trace;
      case sdk::LogLevel::debug: return spdlog::level::debug;
      case sdk::LogLevel::info: return spdlog::level::info;
      case sdk::LogLevel::warn: return spdlog::level::warn;
      case sdk::LogLevel::error: return spdlog::level::err;
      case sdk::LogLevel::critical: return spdlog::level::critical;
    }
    return spdlog::level::info;
  }
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace

void configure(const config::LoggingConfig& config, const std::set<std::string>& plugin_names) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.default_level = spdlog::level::from_str(config.level);
  r.levels.clear();
  for (const auto& [component, level] : config.components) {
    if (!kKernelComponents.count(component) && !plugin_names.count(component)) {
      std::string known;
      for (const auto& name : kKernelComponents) known += (known.empty() ? "" : ", ") + name;
      throw config::ConfigError("logging.components." + component +
                                ": unknown component (kernel components: " + known +
                                ", or a selected plugin's name)");
    }
    r.levels[component] = spdlog::level::from_str(level);
  }
  for (auto& [name, logger] : r.loggers) {
    auto it = r.levels.find(name);
    logger->set_level(it == r.levels.end() ? r.default_level : it->second);
  }
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto& logger = r.loggers[component];
  if (!logger) {
    logger = std::make_shared<spdlog::logger>(component, r.sink);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    auto it = r.levels.find(component);
    logger->set_level(it == r.levels.end() ? r.default_level : it->second);
    logger->flush_on(spdlog::level::info);
  }
  return logger;
}

std::shared_ptr<sdk::Logger> plugin_logger(const std::string& plugin_name) {
  return std::make_shared<SpdlogPluginLogger>(get(plugin_name));
}

}  // namespace brokkr::logging
