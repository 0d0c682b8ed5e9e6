// --alter (ConfigCommand.alterConfig for topics and brokers): deleting a
// config the entity does not set is refused before anything changes.
#include <iostream>
#include <set>

#include "configs/config_actions.hpp"
#include "configs/config_arguments.hpp"
#include "configs/config_errors.hpp"

namespace brokkr::cli::configs {

int alter_entity_configs(const CommandLine& cl, const ConfigEntity& entity, client::admin::AdminClient& admin) {
  const std::string name = entity.name.value_or("");
  auto to_add = configs_to_add(cl);
  auto to_delete = configs_to_delete(cl);
  auto resource = resource_of(entity.type, name);

  std::set<std::string> current;
  for (const auto& entry : admin.describe_configs(resource, false)) {
    if (entry.source == dynamic_source_of(entity.type, name)) current.insert(entry.name);
  }
  std::string invalid;
  for (const auto& key : to_delete) {
    if (current.count(key) == 0) invalid += (invalid.empty() ? "" : ",") + key;
  }
  if (!invalid.empty()) throw ArgumentError("Invalid config(s): " + invalid);

  std::vector<client::admin::AlterConfigOp> ops;
  for (const auto& [key, value] : to_add) ops.push_back({client::admin::AlterOp::set, key, value});
  for (const auto& key : to_delete) ops.push_back({client::admin::AlterOp::remove, key, ""});
  admin.incremental_alter_configs(resource, ops);

  if (!name.empty()) {
    std::cout << "Completed updating config for " << entity.type.substr(0, entity.type.size() - 1) << " " << name
              << ".\n";
  } else {
    std::cout << "Completed updating default config for " << entity.type << " in the cluster.\n";
  }
  return 0;
}

}  // namespace brokkr::cli::configs
