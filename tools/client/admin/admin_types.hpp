// What the Admin API takes and returns for topics and the cluster: plain
// structs mirroring Kafka's NewTopic, TopicListing, TopicDescription and
// DescribeClusterResult.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "protocol/uuid.hpp"

namespace brokkr::client::admin {

struct NewTopic {
  std::string name;
  std::int32_t partitions = -1;          // -1: the broker's num.partitions
  std::int16_t replication_factor = -1;  // -1: the broker's default.replication.factor
  // Manual assignment: partition -> broker ids (then partitions and
  // replication_factor must stay -1).
  std::map<std::int32_t, std::vector<std::int32_t>> assignments;
  std::vector<std::pair<std::string, std::string>> configs;
};

// Per-topic result of create_topics (Kafka's CreateTopicsResult values).
struct CreatedTopic {
  std::string name;
  protocol::Uuid id{};
  std::int32_t partitions = -1;
  std::int16_t replication_factor = -1;
};

struct TopicListing {
  std::string name;
  protocol::Uuid id{};
  bool internal = false;
};

struct PartitionInfo {
  std::int32_t partition = 0;
  std::int32_t leader = -1;  // -1: no leader
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
  std::vector<std::int32_t> offline;
};

struct TopicDescription {
  std::string name;
  protocol::Uuid id{};
  bool internal = false;
  std::vector<PartitionInfo> partitions;  // sorted by partition
};

// CreatePartitions: grow `topic` to `total_count` partitions, optionally
// placing each new partition on the given brokers.
struct NewPartitions {
  std::string topic;
  std::int32_t total_count = 0;
  std::vector<std::vector<std::int32_t>> assignments;  // empty: the broker decides
};

struct BrokerNode {
  std::int32_t id = -1;
  std::string host;
  std::int32_t port = 0;
  std::string rack;  // empty: none
};

struct ClusterDescription {
  std::string cluster_id;
  std::int32_t controller_id = -1;
  std::vector<BrokerNode> brokers;  // sorted by id
};

// Kafka's internal topics (org.apache.kafka.common.internals.Topic.isInternal).
bool is_internal_topic_name(const std::string& name);

}  // namespace brokkr::client::admin
