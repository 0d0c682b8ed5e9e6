// The `uniform` assignor, KIP-848's sticky uniform assignor: every
// partition of a subscribed topic goes to exactly one member subscribed to
// that topic; members keep the partitions they hold (AssignorMember::owned,
// which the broker fills with the group's current target assignment) while
// those stay valid; loads end up as even as the subscriptions allow (counts
// differ by at most one when all members subscribe to the same topics); and
// as few partitions as possible move. Same input, same output.
// See balancer.hpp for how.
#pragma once

#include "brokkr/sdk/assignor.hpp"

namespace brokkr::assignors {

class UniformAssignor final : public sdk::Assignor {
 public:
  UniformAssignor() = default;
  explicit UniformAssignor(const sdk::PluginContext& context);

  std::string name() const override { return "uniform"; }
  sdk::Assignment assign(const sdk::AssignmentInput& input) override;
};

}  // namespace brokkr::assignors
