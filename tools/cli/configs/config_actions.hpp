// brokkr-configs' two actions. Each prints what Kafka's ConfigCommand prints.
#pragma once

#include "admin/admin_client.hpp"
#include "common/command_line.hpp"
#include "configs/config_entity.hpp"

namespace brokkr::cli::configs {

// "Dynamic configs for topic t are:" / "All configs for broker 1 are:" /
// "Default configs for brokers in the cluster are:", then one
// "  name=value sensitive=false synonyms={SOURCE:name=value, ...}" per config.
int describe_entity_configs(const CommandLine& command_line, const ConfigEntity& entity,
                            client::admin::AdminClient& admin);

// "Completed updating config for topic t." / "... for broker 1." /
// "Completed updating default config for brokers in the cluster."
int alter_entity_configs(const CommandLine& command_line, const ConfigEntity& entity,
                         client::admin::AdminClient& admin);

// The resource an entity name stands for.
client::admin::ConfigResource resource_of(const std::string& type, const std::string& name);
// The source of the configs set on the entity itself (what --describe shows
// without --all, and what --delete-config may remove).
client::admin::ConfigSource dynamic_source_of(const std::string& type, const std::string& name);

}  // namespace brokkr::cli::configs
