// Kafka's Admin API for Brokkr's tools: topics, partitions, configs and the
// cluster, over a client::Cluster. Each call is synchronous; a failure throws
// KafkaError (Kafka's exception name and the broker's message, see
// client::throw_if_error) for the first resource that failed, or
// NetworkError when no broker answers within request.timeout.ms.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "admin/admin_types.hpp"
#include "admin/config_types.hpp"
#include "cluster.hpp"

namespace brokkr::client::admin {

class AdminClient {
 public:
  explicit AdminClient(Cluster& cluster) : cluster_(cluster) {}

  // --- topics (admin_topics.cpp) ---
  std::vector<CreatedTopic> create_topics(const std::vector<NewTopic>& topics, bool validate_only = false);
  void delete_topics(const std::vector<std::string>& names);
  // Every topic, sorted by name; internal ones only when asked.
  std::vector<TopicListing> list_topics(bool include_internal = false);
  // Metadata of the named topics, in the order asked; UNKNOWN_TOPIC_OR_PARTITION
  // for a topic the cluster does not have.
  std::vector<TopicDescription> describe_topics(const std::vector<std::string>& names);
  void create_partitions(const std::vector<NewPartitions>& requests, bool validate_only = false);

  // --- configs (admin_configs.cpp) ---
  // One DescribeConfigs round per broker involved (broker resources go to
  // that broker). Entries in the broker's order.
  std::map<ConfigResource, std::vector<ConfigEntry>> describe_configs(
      const std::vector<ConfigResource>& resources, bool include_synonyms = false);
  std::vector<ConfigEntry> describe_configs(const ConfigResource& resource, bool include_synonyms = false);
  // The configs of each topic (Kafka's TopicCommand `Configs:` field uses the
  // entries that are not defaults).
  std::map<std::string, std::vector<ConfigEntry>> describe_topic_configs(const std::vector<std::string>& topics);
  // IncrementalAlterConfigs; against a broker without it, AlterConfigs with
  // the resource's current dynamic configs and the changes applied.
  void incremental_alter_configs(const ConfigResource& resource, const std::vector<AlterConfigOp>& ops,
                                 bool validate_only = false);
  // AlterConfigs (replaces every dynamic config of the resource).
  void alter_configs(const ConfigResource& resource, const std::map<std::string, std::string>& configs,
                     bool validate_only = false);

  // --- cluster (admin_cluster.cpp) ---
  // DescribeCluster when the broker offers it, else Metadata.
  ClusterDescription describe_cluster();

  Cluster& cluster() { return cluster_; }

 private:
  // Runs `call` on the controller; on NOT_CONTROLLER refreshes metadata and
  // tries again (a few times). `call` returns the first error code it saw.
  void on_controller(const std::function<std::int16_t(BrokerConnection&)>& call);
  BrokerConnection& connection_for(const ConfigResource& resource);
  std::int32_t timeout_ms() const { return static_cast<std::int32_t>(cluster_.request_timeout().count()); }

  Cluster& cluster_;
};

}  // namespace brokkr::client::admin
