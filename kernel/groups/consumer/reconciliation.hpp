// KIP-848 reconciliation: moves one member a step toward its target
// assignment (what Kafka's CurrentAssignmentBuilder does).
//
// - Partitions the member holds but the target does not are revoked first:
//   the member stays at its epoch (unrevoked_partitions) and keeps only what
//   stays, until a heartbeat reports owned partitions without the revoked
//   ones.
// - Then it moves to the target epoch and is given the target partitions
//   that no member owns any more; partitions another member still owns (or
//   still has to revoke) are held back (unreleased_partitions) and handed
//   out on a later heartbeat, once free. A partition never has two owners.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "groups/consumer/consumer_group.hpp"

namespace brokkr::groups::consumer {

// The epoch of the member owning a partition, or -1 when it is free.
using PartitionEpochFn = std::function<std::int32_t(const protocol::Uuid&, std::int32_t)>;

// `owned`: the partitions the member reported in this heartbeat, nullopt
// when it did not report them (then it has not acknowledged a revocation).
ConsumerGroupMember reconcile(const ConsumerGroupMember& member, std::int32_t target_epoch,
                              const PartitionSet& target, const PartitionEpochFn& partition_epoch,
                              const std::optional<PartitionSet>& owned);

}  // namespace brokkr::groups::consumer
