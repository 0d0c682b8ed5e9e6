// --describe (ConfigCommand.describeResourceConfig).
#include <algorithm>
#include <iostream>

#include "configs/config_actions.hpp"

namespace brokkr::cli::configs {

using client::admin::ConfigEntry;
using client::admin::ConfigResource;
using client::admin::ConfigSource;
using client::admin::ResourceType;

ConfigResource resource_of(const std::string& type, const std::string& name) {
  return ConfigResource{type == "brokers" ? ResourceType::broker : ResourceType::topic, name};
}

ConfigSource dynamic_source_of(const std::string& type, const std::string& name) {
  if (type == "topics") return ConfigSource::dynamic_topic;
  return name.empty() ? ConfigSource::dynamic_default_broker : ConfigSource::dynamic_broker;
}

namespace {

std::string entry_line(const ConfigEntry& entry) {
  std::string synonyms;
  for (const auto& s : entry.synonyms) {
    synonyms += (synonyms.empty() ? "" : ", ") + std::string(client::admin::config_source_name(s.source)) + ":" +
                s.name + "=" + s.value.value_or("null");
  }
  return "  " + entry.name + "=" + entry.value.value_or("null") +
         " sensitive=" + (entry.sensitive ? "true" : "false") + " synonyms={" + synonyms + "}";
}

}  // namespace

int describe_entity_configs(const CommandLine& cl, const ConfigEntity& entity, client::admin::AdminClient& admin) {
  const bool all = cl.has("all");
  std::vector<std::string> names;
  if (entity.name) {
    names.push_back(*entity.name);
  } else if (entity.type == "topics") {
    for (const auto& listing : admin.list_topics(/*include_internal=*/true)) names.push_back(listing.name);
  } else {
    for (const auto& broker : admin.describe_cluster().brokers) names.push_back(std::to_string(broker.id));
    names.push_back("");  // then the cluster-wide default
  }

  for (const auto& name : names) {
    if (name.empty()) {
      std::cout << "Default configs for " << entity.type << " in the cluster are:\n";
    } else {
      std::cout << (all ? "All" : "Dynamic") << " configs for " << entity.type.substr(0, entity.type.size() - 1)
                << " " << name << " are:\n";
    }
    auto entries = admin.describe_configs(resource_of(entity.type, name), /*include_synonyms=*/true);
    const ConfigSource wanted = dynamic_source_of(entity.type, name);
    std::stable_sort(entries.begin(), entries.end(),
                     [](const ConfigEntry& a, const ConfigEntry& b) { return a.name < b.name; });
    for (const auto& entry : entries) {
      if (all || entry.source == wanted) std::cout << entry_line(entry) << "\n";
    }
    std::cout.flush();
  }
  return 0;
}

}  // namespace brokkr::cli::configs
