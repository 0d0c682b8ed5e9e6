// brokkr [--config FILE] [--node-id N] [--data-dir DIR] [--listen HOST:PORT]
//        [--advertise HOST:PORT] [--override dotted.key=value]...
//        [--check-config] [--list-plugins] [--version] [--help]
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.hpp"

namespace brokkr::app {

enum class Mode { run, check_config, list_plugins, version, help };

struct CommandLine {
  Mode mode = Mode::run;
  config::ConfigSources sources;
  std::optional<std::string> listen;     // applied to the first listener
  std::optional<std::string> advertise;  // likewise
};

// Throws std::invalid_argument with a one-line message on bad usage.
CommandLine parse_command_line(int argc, char** argv);

const char* usage_text();

// Loads the config the command line describes (file, overrides, flags).
config::BrokerConfig load_config(const CommandLine& command_line);

}  // namespace brokkr::app
