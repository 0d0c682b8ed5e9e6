#include "partition/partition_settings.hpp"

#include <algorithm>

#include "config/topic_config_schema.hpp"

namespace brokkr::partition {

PartitionSettings partition_settings_for(const std::map<std::string, std::string>& topic_overrides,
                                         const std::map<std::string, std::string>& broker_defaults) {
  auto effective = config::effective_topic_configs(topic_overrides, broker_defaults);
  PartitionSettings s;
  s.log = config::log_settings_from(effective);
  s.validation.max_message_bytes = std::stoi(effective.at("max.message.bytes"));
  s.validation.log_append_time = effective.at("message.timestamp.type") == "LogAppendTime";
  s.validation.compacted = s.log.compact;
  std::int64_t difference = std::stoll(effective.at("message.timestamp.difference.max.ms"));
  s.validation.timestamp_before_max_ms =
      std::min<std::int64_t>(difference, std::stoll(effective.at("message.timestamp.before.max.ms")));
  s.validation.timestamp_after_max_ms =
      std::min<std::int64_t>(difference, std::stoll(effective.at("message.timestamp.after.max.ms")));
  s.validation.compression_target = compression_target_from(effective);
  s.min_insync_replicas = std::stoi(effective.at("min.insync.replicas"));
  return s;
}

}  // namespace brokkr::partition
