// The entity brokkr-configs works on, from --entity-type/--entity-name/
// --entity-default or the shortcuts --topic, --broker, --broker-defaults,
// checked as Kafka's ConfigCommandOptions.checkArgs does.
#pragma once

#include <optional>
#include <string>

#include "common/command_line.hpp"

namespace brokkr::cli::configs {

struct ConfigEntity {
  std::string type;                 // "topics" or "brokers"
  std::optional<std::string> name;  // nullopt: every entity; "": the broker default
};

// Declares the entity and action options.
void declare_config_options(CommandLine& command_line);

// Throws UsageError (bad action) or ArgumentError (Kafka's messages).
ConfigEntity check_config_arguments(const CommandLine& command_line);

}  // namespace brokkr::cli::configs
