// The `range` assignor, Kafka's RangeAssignor: topic by topic, the topic's
// partitions are cut into contiguous ranges over the members subscribed to
// it, in member-id order; when they do not divide evenly the first members
// get one partition more.
//
// Example: members a, b subscribed to x (3 partitions) and y (3):
// a gets x-0, x-1, y-0, y-1 and b gets x-2, y-2 (ranges are per topic, so
// the "one more" goes to the same members on every topic).
#pragma once

#include "brokkr/sdk/assignor.hpp"

namespace brokkr::assignors {

class RangeAssignor final : public sdk::Assignor {
 public:
  RangeAssignor() = default;
  explicit RangeAssignor(const sdk::PluginContext& context);

  std::string name() const override { return "range"; }
  sdk::Assignment assign(const sdk::AssignmentInput& input) override;
};

}  // namespace brokkr::assignors
