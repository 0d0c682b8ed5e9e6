// The `roundrobin` assignor, Kafka's RoundRobinAssignor: every subscribed
// topic-partition, sorted by topic name then partition, is dealt in turn to
// the members in member-id order, the deal going round and round and
// skipping members not subscribed to the partition's topic.
//
// Example: members a, b, c (all subscribed to both), topics x (2 partitions)
// and y (3): x-0 -> a, x-1 -> b, y-0 -> c, y-1 -> a, y-2 -> b.
#pragma once

#include "brokkr/sdk/assignor.hpp"

namespace brokkr::assignors {

class RoundRobinAssignor final : public sdk::Assignor {
 public:
  RoundRobinAssignor() = default;
  explicit RoundRobinAssignor(const sdk::PluginContext& context);

  std::string name() const override { return "roundrobin"; }
  sdk::Assignment assign(const sdk::AssignmentInput& input) override;
};

}  // namespace brokkr::assignors
