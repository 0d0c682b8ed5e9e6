// Cluster metadata as the kernel sees it: topics and their partitions, the
// live brokers and the controller.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/coordination.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::cluster {

struct PartitionState {
  std::int32_t partition = 0;
  std::int32_t leader = -1;  // -1: no leader
  std::int32_t leader_epoch = 0;
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
  bool operator==(const PartitionState&) const = default;
};

struct TopicMetadata {
  std::string name;
  protocol::Uuid topic_id;
  bool internal = false;
  std::vector<PartitionState> partitions;       // indexed by partition id
  std::map<std::string, std::string> configs;   // topic-level overrides only
  bool operator==(const TopicMetadata&) const = default;
};

// An immutable picture of the cluster; readers hold a shared_ptr to one.
struct MetadataSnapshot {
  std::string cluster_id;
  std::optional<std::int32_t> controller_id;
  std::vector<sdk::BrokerRegistration> brokers;  // live, sorted by node id
  std::map<std::string, std::shared_ptr<const TopicMetadata>> topics;

  const sdk::BrokerRegistration* broker(std::int32_t node_id) const;
};

}  // namespace brokkr::cluster
