// Turns TOML (a file, then --override values, then command-line flags) into
// a validated BrokerConfig. Unknown keys are errors.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/broker_config.hpp"

namespace brokkr::config {

struct ConfigSources {
  std::optional<std::filesystem::path> file;
  std::vector<std::string> overrides;  // "dotted.key=value", value in TOML syntax or a bare string
};

BrokerConfig load_config(const ConfigSources& sources);

// Parses "host:port" (IPv6 as "[::1]:9092"); throws ConfigError naming `key`.
HostPort parse_host_port(const std::string& key, const std::string& text);

}  // namespace brokkr::config
