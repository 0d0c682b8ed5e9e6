// The target assignment of a group: what its assignor plugin decides from
// the members' subscriptions, their current targets (for sticky assignors)
// and the subscribed topics. The plugin's answer is checked, not trusted:
// a partition of an unknown topic, out of range, given to a member that
// does not subscribe to its topic, or given twice, is left out (and
// reported), so a buggy assignor can leave partitions unassigned but never
// break the one-owner rule.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "brokkr/sdk/assignor.hpp"
#include "cluster/topic_metadata.hpp"
#include "groups/consumer/consumer_group.hpp"

namespace brokkr::groups::consumer {

// The facts of the named topics that exist in the snapshot.
SubscriptionMetadata subscription_metadata(const std::set<std::string>& topic_names,
                                           const cluster::MetadataSnapshot& snapshot);

struct TargetAssignment {
  std::map<std::string, PartitionSet> targets;  // every member, possibly empty
  // What the assignor returned and was left out: the first few, and how many.
  static constexpr std::size_t kRefusalsKept = 10;
  std::vector<std::string> refused;
  std::size_t refused_count = 0;
};

// Throws whatever the assignor throws.
TargetAssignment compute_target_assignment(const std::map<std::string, ConsumerGroupMember>& members,
                                           const std::map<std::string, PartitionSet>& current_targets,
                                           const SubscriptionMetadata& metadata, sdk::Assignor& assignor);

}  // namespace brokkr::groups::consumer
