#include "consumer/consumer_config.hpp"

#include <limits>

#include "client_error.hpp"

namespace brokkr::client {
namespace {

std::int32_t int32_property(const Properties& properties, const std::string& key, std::int32_t fallback,
                            std::int64_t min) {
  auto value = properties.get_int(key, fallback);
  if (value < min || value > std::numeric_limits<std::int32_t>::max()) {
    throw ClientError("Invalid value " + std::to_string(value) + " for configuration " + key +
                      ": Value must be at least " + std::to_string(min));
  }
  return static_cast<std::int32_t>(value);
}

OffsetResetPolicy parse_reset_policy(const std::string& text) {
  if (text == "earliest") return OffsetResetPolicy::earliest;
  if (text == "latest") return OffsetResetPolicy::latest;
  if (text == "none") return OffsetResetPolicy::none;
  // Kafka's ConfigException wording.
  throw ClientError("Invalid value " + text +
                    " for configuration auto.offset.reset: String must be one of: latest, earliest, none");
}

std::int8_t parse_isolation_level(const std::string& text) {
  if (text == "read_uncommitted") return 0;
  if (text == "read_committed") return 1;
  throw ClientError("Invalid value " + text +
                    " for configuration isolation.level: String must be one of: read_committed, read_uncommitted");
}

}  // namespace

ConsumerConfig ConsumerConfig::from(const Properties& properties) {
  ConsumerConfig config;
  if (auto group = properties.get("group.id"); group && !group->empty()) config.group_id = *group;
  config.enable_auto_commit = properties.get_bool("enable.auto.commit", config.group_id.has_value());
  config.auto_commit_interval =
      std::chrono::milliseconds(int32_property(properties, "auto.commit.interval.ms", 5000, 0));
  config.auto_offset_reset = parse_reset_policy(properties.get_string("auto.offset.reset", "latest"));
  config.fetch_max_wait_ms = int32_property(properties, "fetch.max.wait.ms", 500, 0);
  config.fetch_min_bytes = int32_property(properties, "fetch.min.bytes", 1, 0);
  config.max_partition_fetch_bytes = int32_property(properties, "max.partition.fetch.bytes", 1024 * 1024, 0);
  config.fetch_max_bytes = int32_property(properties, "fetch.max.bytes", 50 * 1024 * 1024, 0);
  config.isolation_level = parse_isolation_level(properties.get_string("isolation.level", "read_uncommitted"));
  config.max_poll_records = int32_property(properties, "max.poll.records", 500, 1);
  config.allow_auto_create_topics = properties.get_bool("allow.auto.create.topics", true);
  config.exclude_internal_topics = properties.get_bool("exclude.internal.topics", true);
  config.metadata_max_age =
      std::chrono::milliseconds(int32_property(properties, "metadata.max.age.ms", 300000, 0));
  config.client_rack = properties.get_string("client.rack", "");
  if (config.enable_auto_commit && !config.group_id) {
    // Kafka's InvalidConfigurationException text.
    throw ClientError("enable.auto.commit cannot be set to true when default group id (null) is used.");
  }
  return config;
}

}  // namespace brokkr::client
