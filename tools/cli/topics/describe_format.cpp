#include "topics/describe_format.hpp"

namespace brokkr::cli::topics {
namespace {

std::string join_ids(const std::vector<std::int32_t>& ids) {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

std::string topic_line(const client::admin::TopicDescription& topic, int replication_factor,
                       const std::vector<client::admin::ConfigEntry>& configs) {
  // Configs: every entry whose value is not the built-in default, in the broker's order.
  std::string overrides;
  for (const auto& entry : configs) {
    if (entry.is_default()) continue;
    overrides += (overrides.empty() ? "" : ",") + entry.name + "=" + entry.value.value_or("null");
  }
  std::string line = "Topic: " + topic.name;
  if (!topic.id.is_zero()) line += "\tTopicId: " + topic.id.to_base64();
  line += "\tPartitionCount: " + std::to_string(topic.partitions.size());
  line += "\tReplicationFactor: " + std::to_string(replication_factor);
  line += "\tConfigs: " + overrides;
  return line;
}

std::string partition_line(const std::string& topic, const client::admin::PartitionInfo& partition) {
  return "\tTopic: " + topic + "\tPartition: " + std::to_string(partition.partition) +
         "\tLeader: " + (partition.leader >= 0 ? std::to_string(partition.leader) : "none") +
         "\tReplicas: " + join_ids(partition.replicas) + "\tIsr: " + join_ids(partition.isr);
}

}  // namespace brokkr::cli::topics
