// Finds the local leader replica a client request names, or the error Kafka
// answers with: unknown topic/partition, not the leader, or a stale or
// future leader epoch from the client.
#pragma once

#include <memory>
#include <string>

#include "cluster/topic_metadata.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/error_code.hpp"

namespace brokkr::handlers {

struct PartitionLookup {
  std::shared_ptr<partition::Partition> partition;  // null on error
  protocol::ErrorCode error = protocol::ErrorCode::none;
};

PartitionLookup lookup_leader(const cluster::MetadataSnapshot& snapshot,
                              partition::PartitionManager& partitions, const std::string& topic,
                              std::int32_t index, std::int32_t current_leader_epoch = -1);

}  // namespace brokkr::handlers
