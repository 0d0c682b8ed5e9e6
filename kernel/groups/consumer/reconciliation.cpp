#include "groups/consumer/reconciliation.hpp"

#include <set>

namespace brokkr::groups::consumer {
namespace {

// Whether the member still reports any of `partitions` (not reporting counts
// as still owning: the revocation is not acknowledged).
bool still_owns_any(const std::optional<PartitionSet>& owned, const PartitionSet& partitions) {
  if (!owned) return true;
  for (const auto& [topic, ps] : *owned) {
    auto it = partitions.find(topic);
    if (it == partitions.end()) continue;
    for (auto p : ps) {
      if (it->second.count(p)) return true;
    }
  }
  return false;
}

void set_epoch(ConsumerGroupMember& member, std::int32_t epoch) {
  member.previous_member_epoch = member.member_epoch;
  member.member_epoch = epoch;
}

ConsumerGroupMember next_assignment(const ConsumerGroupMember& member, std::int32_t epoch,
                                    std::int32_t target_epoch, const PartitionSet& target,
                                    const PartitionEpochFn& partition_epoch,
                                    const std::optional<PartitionSet>& owned) {
  PartitionSet keep, revoke, add;
  bool unreleased = false;
  std::set<protocol::Uuid, UuidLess> topics;
  for (const auto& [topic, ps] : target) topics.insert(topic);
  for (const auto& [topic, ps] : member.assigned) topics.insert(topic);
  static const std::set<std::int32_t> kNone;
  for (const auto& topic : topics) {
    auto t = target.find(topic);
    auto a = member.assigned.find(topic);
    const auto& wanted = t == target.end() ? kNone : t->second;
    const auto& held = a == member.assigned.end() ? kNone : a->second;
    for (auto p : held) (wanted.count(p) ? keep : revoke)[topic].insert(p);
    for (auto p : wanted) {
      if (held.count(p)) continue;
      if (partition_epoch(topic, p) != -1) {
        unreleased = true;  // someone else still owns it
      } else {
        add[topic].insert(p);
      }
    }
  }

  ConsumerGroupMember next = member;
  if (!revoke.empty() && still_owns_any(owned, revoke)) {
    next.state = MemberState::unrevoked_partitions;
    set_epoch(next, epoch);
    next.assigned = std::move(keep);
    next.pending_revocation = std::move(revoke);
    return next;
  }
  for (auto& [topic, ps] : add) keep[topic].insert(ps.begin(), ps.end());
  next.state = unreleased ? MemberState::unreleased_partitions : MemberState::stable;
  set_epoch(next, target_epoch);
  next.assigned = std::move(keep);
  next.pending_revocation.clear();
  return next;
}

}  // namespace

ConsumerGroupMember reconcile(const ConsumerGroupMember& member, std::int32_t target_epoch,
                              const PartitionSet& target, const PartitionEpochFn& partition_epoch,
                              const std::optional<PartitionSet>& owned) {
  switch (member.state) {
    case MemberState::stable:
      if (member.member_epoch == target_epoch) return member;
      return next_assignment(member, member.member_epoch, target_epoch, target, partition_epoch, owned);
    case MemberState::unrevoked_partitions:
      if (still_owns_any(owned, member.pending_revocation)) return member;
      // Revoked: the member may move on, at least one epoch further.
      return next_assignment(member, member.member_epoch + 1, target_epoch, target, partition_epoch, owned);
    case MemberState::unreleased_partitions:
      return next_assignment(member, member.member_epoch, target_epoch, target, partition_epoch, owned);
  }
  return member;
}

}  // namespace brokkr::groups::consumer
