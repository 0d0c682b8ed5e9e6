// --add-config, --add-config-file and --delete-config parsed as Kafka's
// ConfigCommand does: "k1=v1,k2=[a,b],k3=v3" splits on the commas outside
// square brackets; brackets are then dropped from the values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/command_line.hpp"

namespace brokkr::cli::configs {

// Throws ArgumentError with Kafka's messages for malformed pairs or keys.
std::map<std::string, std::string> parse_add_config(const std::string& text);
std::map<std::string, std::string> configs_to_add(const CommandLine& command_line);
std::vector<std::string> configs_to_delete(const CommandLine& command_line);

}  // namespace brokkr::cli::configs
