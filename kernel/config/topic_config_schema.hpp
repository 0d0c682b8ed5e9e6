// Kafka's topic-level configs that Brokkr understands: names, types,
// defaults, validation, and conversion into the storage plugin's LogSettings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/storage.hpp"

namespace brokkr::config {

enum class TopicConfigType { boolean, int32, int64, string, list, double_ };

struct TopicConfigDefinition {
  std::string name;            // Kafka's name, e.g. "retention.ms"
  TopicConfigType type;
  std::string default_value;   // Kafka's default, as text
  std::string documentation;   // one line
  std::string broker_synonym;  // Kafka's broker-level name, e.g. "log.retention.ms" (DescribeConfigs synonyms)
};

// The items of a list-typed config value ("delete,compact"), trimmed.
std::vector<std::string> split_config_list(const std::string& text);

// Every topic config we accept, in name order.
const std::vector<TopicConfigDefinition>& topic_config_definitions();
const TopicConfigDefinition* find_topic_config(const std::string& name);

// Why `value` is not acceptable for topic config `name` (unknown name, wrong
// type, out of range, bad enum value), or nullopt when it is.
std::optional<std::string> validate_topic_config(const std::string& name, const std::string& value);

// The effective value of each config: topic override, else broker default
// ([topics.config]), else Kafka's default.
std::map<std::string, std::string> effective_topic_configs(
    const std::map<std::string, std::string>& topic_overrides,
    const std::map<std::string, std::string>& broker_defaults);

// Storage settings from effective configs.
sdk::LogSettings log_settings_from(const std::map<std::string, std::string>& effective);

}  // namespace brokkr::config
