// Component loggers on spdlog: one line per event, levels per component
// from [logging]. Components: the kernel's own (below) and each plugin by
// its name.
#pragma once

#include <memory>
#include <set>
#include <string>

#include <spdlog/spdlog.h>

#include "brokkr/sdk/logger.hpp"
#include "config/broker_config.hpp"

namespace brokkr::logging {

inline const std::set<std::string> kKernelComponents = {"broker", "net", "protocol", "plugins",
                                                        "cluster", "groups"};

// Applies levels; `plugin_names` are also valid component names.
// Throws config::ConfigError for an unknown component.
void configure(const config::LoggingConfig& config, const std::set<std::string>& plugin_names);

std::shared_ptr<spdlog::logger> get(const std::string& component);

// A logger for a plugin, on the component of the plugin's name.
std::shared_ptr<sdk::Logger> plugin_logger(const std::string& plugin_name);

}  // namespace brokkr::logging
