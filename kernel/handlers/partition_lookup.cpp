#include "handlers/partition_lookup.hpp"

namespace brokkr::handlers {

using protocol::ErrorCode;

PartitionLookup lookup_leader(const cluster::MetadataSnapshot& snapshot,
                              partition::PartitionManager& partitions, const std::string& topic,
                              std::int32_t index, std::int32_t current_leader_epoch) {
  auto known = snapshot.topics.find(topic);
  if (known == snapshot.topics.end() || index < 0 ||
      index >= static_cast<std::int32_t>(known->second->partitions.size())) {
    return {nullptr, ErrorCode::unknown_topic_or_partition};
  }
  auto partition = partitions.get(topic, index);
  if (!partition || !partition->is_leader()) return {nullptr, ErrorCode::not_leader_or_follower};
  if (current_leader_epoch >= 0) {
    if (current_leader_epoch < partition->leader_epoch()) return {nullptr, ErrorCode::fenced_leader_epoch};
    if (current_leader_epoch > partition->leader_epoch()) return {nullptr, ErrorCode::unknown_leader_epoch};
  }
  return {partition, ErrorCode::none};
}

}  // namespace brokkr::handlers
