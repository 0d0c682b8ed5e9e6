// Configs: DescribeConfigs, IncrementalAlterConfigs and AlterConfigs. A
// broker's own configs go to that broker; topics and the cluster-wide broker
// default to any broker.
#include <algorithm>
#include <sstream>

#include "admin/admin_client.hpp"
#include "client_error.hpp"
#include "protocol/generated/alter_configs_request.hpp"
#include "protocol/generated/alter_configs_response.hpp"
#include "protocol/generated/describe_configs_request.hpp"
#include "protocol/generated/describe_configs_response.hpp"
#include "protocol/generated/incremental_alter_configs_request.hpp"
#include "protocol/generated/incremental_alter_configs_response.hpp"

namespace brokkr::client::admin {
namespace {

constexpr std::int16_t kIncrementalAlterConfigsKey = protocol::IncrementalAlterConfigsRequest::kApiKey;

ConfigEntry to_entry(const protocol::DescribeConfigsResponse::DescribeConfigsResourceResult& c,
                     ResourceType type) {
  ConfigEntry entry;
  entry.name = c.name;
  entry.value = c.value;
  entry.read_only = c.read_only;
  entry.sensitive = c.is_sensitive;
  if (c.config_source >= 0) {
    entry.source = static_cast<ConfigSource>(c.config_source);
  } else if (c.is_default) {  // v0 has only is_default
    entry.source = ConfigSource::default_config;
  } else {
    entry.source = type == ResourceType::topic ? ConfigSource::dynamic_topic : ConfigSource::static_broker;
  }
  for (const auto& s : c.synonyms) {
    entry.synonyms.push_back(ConfigSynonym{s.name, s.value, static_cast<ConfigSource>(s.source)});
  }
  return entry;
}

// Where a resource's own dynamic configs come from (what AlterConfigs replaces).
ConfigSource dynamic_source_of(const ConfigResource& resource) {
  switch (resource.type) {
    case ResourceType::topic: return ConfigSource::dynamic_topic;
    case ResourceType::broker:
      return resource.name.empty() ? ConfigSource::dynamic_default_broker : ConfigSource::dynamic_broker;
    case ResourceType::broker_logger: return ConfigSource::dynamic_broker_logger;
    default: return ConfigSource::unknown;
  }
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// What IncrementalAlterConfigs would do, done on the client for AlterConfigs.
void apply(std::map<std::string, std::string>& configs, const AlterConfigOp& op) {
  switch (op.op) {
    case AlterOp::set: configs[op.name] = op.value; break;
    case AlterOp::remove: configs.erase(op.name); break;
    case AlterOp::append: {
      auto items = split_list(configs[op.name]);
      for (const auto& add : split_list(op.value)) {
        if (std::find(items.begin(), items.end(), add) == items.end()) items.push_back(add);
      }
      configs[op.name] = join_list(items);
      break;
    }
    case AlterOp::subtract: {
      auto items = split_list(configs[op.name]);
      for (const auto& drop : split_list(op.value)) items.erase(std::remove(items.begin(), items.end(), drop), items.end());
      if (items.empty()) configs.erase(op.name); else configs[op.name] = join_list(items);
      break;
    }
  }
}

template <typename Responses>
void check_alter_results(const Responses& responses) {
  for (const auto& r : responses) throw_if_error(r.error_code, "", r.error_message.value_or(""));
}

}  // namespace

std::map<ConfigResource, std::vector<ConfigEntry>> AdminClient::describe_configs(
    const std::vector<ConfigResource>& resources, bool include_synonyms) {
  // One request per broker: broker resources at their broker, the rest anywhere.
  std::vector<std::pair<BrokerConnection*, std::vector<ConfigResource>>> rounds;
  for (const auto& resource : resources) {
    BrokerConnection* connection = &connection_for(resource);
    auto it = std::find_if(rounds.begin(), rounds.end(), [&](const auto& r) { return r.first == connection; });
    if (it == rounds.end()) it = rounds.insert(rounds.end(), {connection, {}});
    it->second.push_back(resource);
  }
  std::map<ConfigResource, std::vector<ConfigEntry>> out;
  for (auto& [connection, batch] : rounds) {
    protocol::DescribeConfigsRequest request;
    request.include_synonyms = include_synonyms;
    for (const auto& resource : batch) {
      protocol::DescribeConfigsRequest::DescribeConfigsResource r;
      r.resource_type = static_cast<std::int8_t>(resource.type);
      r.resource_name = resource.name;
      r.configuration_keys.reset();  // null: every config
      request.resources.push_back(std::move(r));
    }
    auto response = connection->call<protocol::DescribeConfigsResponse>(request);
    for (const auto& result : response.results) {
      throw_if_error(result.error_code, "", result.error_message.value_or(""));
      ConfigResource resource{static_cast<ResourceType>(result.resource_type), result.resource_name};
      auto& entries = out[resource];
      for (const auto& c : result.configs) entries.push_back(to_entry(c, resource.type));
    }
  }
  return out;
}

std::vector<ConfigEntry> AdminClient::describe_configs(const ConfigResource& resource, bool include_synonyms) {
  auto all = describe_configs(std::vector<ConfigResource>{resource}, include_synonyms);
  auto it = all.find(resource);
  return it == all.end() ? std::vector<ConfigEntry>{} : std::move(it->second);
}

std::map<std::string, std::vector<ConfigEntry>> AdminClient::describe_topic_configs(
    const std::vector<std::string>& topics) {
  std::vector<ConfigResource> resources;
  for (const auto& name : topics) resources.push_back(ConfigResource{ResourceType::topic, name});
  std::map<std::string, std::vector<ConfigEntry>> out;
  if (resources.empty()) return out;
  for (auto& [resource, entries] : describe_configs(resources, false)) out[resource.name] = std::move(entries);
  return out;
}

void AdminClient::incremental_alter_configs(const ConfigResource& resource, const std::vector<AlterConfigOp>& ops,
                                            bool validate_only) {
  BrokerConnection& connection = connection_for(resource);
  if (connection.broker_versions(kIncrementalAlterConfigsKey).max < 0) {
    // An older broker: read the resource's dynamic configs, change them here.
    std::map<std::string, std::string> configs;
    for (const auto& entry : describe_configs(resource, false)) {
      if (entry.source != dynamic_source_of(resource)) continue;
      if (!entry.value) {
        throw ClientError("The sensitive config " + entry.name + " of " + resource.name +
                          " cannot be kept by AlterConfigs; this broker lacks IncrementalAlterConfigs");
      }
      configs[entry.name] = *entry.value;
    }
    for (const auto& op : ops) apply(configs, op);
    alter_configs(resource, configs, validate_only);
    return;
  }
  protocol::IncrementalAlterConfigsRequest request;
  request.validate_only = validate_only;
  protocol::IncrementalAlterConfigsRequest::AlterConfigsResource r;
  r.resource_type = static_cast<std::int8_t>(resource.type);
  r.resource_name = resource.name;
  for (const auto& op : ops) {
    protocol::IncrementalAlterConfigsRequest::AlterableConfig c;
    c.name = op.name;
    c.config_operation = static_cast<std::int8_t>(op.op);
    if (op.op == AlterOp::remove) {
      c.value.reset();
    } else {
      c.value = op.value;
    }
    r.configs.push_back(std::move(c));
  }
  request.resources.push_back(std::move(r));
  auto response = connection.call<protocol::IncrementalAlterConfigsResponse>(request);
  check_alter_results(response.responses);
}

void AdminClient::alter_configs(const ConfigResource& resource, const std::map<std::string, std::string>& configs,
                                bool validate_only) {
  protocol::AlterConfigsRequest request;
  request.validate_only = validate_only;
  protocol::AlterConfigsRequest::AlterConfigsResource r;
  r.resource_type = static_cast<std::int8_t>(resource.type);
  r.resource_name = resource.name;
  for (const auto& [name, value] : configs) {
    protocol::AlterConfigsRequest::AlterableConfig c;
    c.name = name;
    c.value = value;
    r.configs.push_back(std::move(c));
  }
  request.resources.push_back(std::move(r));
  auto response = connection_for(resource).call<protocol::AlterConfigsResponse>(request);
  check_alter_results(response.responses);
}

}  // namespace brokkr::client::admin
