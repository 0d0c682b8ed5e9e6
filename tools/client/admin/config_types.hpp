// Config resources and entries as Kafka's Admin API names them
// (ConfigResource, ConfigEntry, ConfigEntry.ConfigSource, AlterConfigOp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brokkr::client::admin {

// Wire values of ConfigResource.Type.
enum class ResourceType : std::int8_t { unknown = 0, topic = 2, broker = 4, broker_logger = 8, client_metrics = 16 };

struct ConfigResource {
  ResourceType type = ResourceType::topic;
  std::string name;  // broker: the id; "" = the cluster-wide broker default
  auto operator<=>(const ConfigResource&) const = default;
};

// Wire values of DescribeConfigs' config_source.
enum class ConfigSource : std::int8_t {
  unknown = 0,
  dynamic_topic = 1,
  dynamic_broker = 2,
  dynamic_default_broker = 3,
  static_broker = 4,
  default_config = 5,
  dynamic_broker_logger = 6,
  dynamic_client_metrics = 7,
};

// The Java enum name Kafka's tools print ("DYNAMIC_TOPIC_CONFIG", ...).
const char* config_source_name(ConfigSource source);

struct ConfigSynonym {
  std::string name;
  std::optional<std::string> value;  // nullopt: sensitive or unset
  ConfigSource source = ConfigSource::unknown;
};

struct ConfigEntry {
  std::string name;
  std::optional<std::string> value;
  ConfigSource source = ConfigSource::unknown;
  bool read_only = false;
  bool sensitive = false;
  std::vector<ConfigSynonym> synonyms;  // only when asked for
  // Kafka's ConfigEntry.isDefault(): the value comes from the built-in default.
  bool is_default() const { return source == ConfigSource::default_config; }
};

// IncrementalAlterConfigs operations (AlterConfigOp.OpType wire values).
enum class AlterOp : std::int8_t { set = 0, remove = 1, append = 2, subtract = 3 };

struct AlterConfigOp {
  AlterOp op = AlterOp::set;
  std::string name;
  std::string value;  // ignored for remove
};

}  // namespace brokkr::client::admin
