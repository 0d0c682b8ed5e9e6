// Rebalances: preparing one, completing its join phase (a new generation),
// distributing the leader's assignment, and members leaving or failing.
#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/log_errors.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {
namespace {

std::size_t stored_size(const StoredGroup& g) {
  std::size_t size = 64 + g.group_id.size() + g.protocol_type.size() + g.protocol.value_or("").size() +
                     g.leader.value_or("").size();
  for (const auto& m : g.members) {
    size += 32 + m.member_id.size() + m.group_instance_id.value_or("").size() + m.client_id.size() +
            m.client_host.size() + m.subscription.size() + m.assignment.size();
  }
  return size;
}

}  // namespace

void GroupCoordinator::maybe_prepare_rebalance(Entry& entry, Outbox& out, const std::string& reason) {
  if (entry.group.can_rebalance()) prepare_rebalance(entry, out, reason);
}

void GroupCoordinator::prepare_rebalance(Entry& entry, Outbox& out, const std::string& reason) {
  Group& group = entry.group;
  // Members waiting for this generation's assignment must rejoin instead.
  if (group.is(GroupState::completing_rebalance)) {
    for (auto& [id, member] : group.members()) member.assignment.clear();
    propagate_assignment(entry, out, ErrorCode::rebalance_in_progress);
  }
  group.pending_sync.clear();
  group.sync_deadline.reset();
  if (group.is(GroupState::empty)) {
    // The first members of an empty group come in a burst: wait a little for the rest.
    std::int32_t delay = std::max(config_.initial_rebalance_delay_ms, 0);
    group.join_phase = JoinPhase::initial_delay;
    group.join_deadline = now() + std::chrono::milliseconds(delay);
    group.initial_delay_remaining_ms = std::max(group.rebalance_timeout_ms() - delay, 0);
    group.new_member_added = false;
  } else {
    group.join_phase = JoinPhase::rebalance;
    group.join_deadline = now() + std::chrono::milliseconds(group.rebalance_timeout_ms());
  }
  logging::get("groups")->info("group {}: preparing to rebalance from {} (generation {}): {}", group.id(),
                               state_name(group.state()), group.generation, reason);
  group.transition_to(GroupState::preparing_rebalance, wall_ms());
  maybe_complete_join(entry, out);
}

void GroupCoordinator::maybe_complete_join(Entry& entry, Outbox& out) {
  const Group& group = entry.group;
  if (group.is(GroupState::preparing_rebalance) && group.join_phase == JoinPhase::rebalance &&
      group.all_members_joined()) {
    complete_join(entry, out);
  }
}

// The join phase ends: members that did not rejoin are out (static ones
// stay for their session timeout), a new generation starts and every
// waiting JoinGroup is answered; the leader gets the members' metadata.
void GroupCoordinator::complete_join(Entry& entry, Outbox& out) {
  Group& group = entry.group;
  auto log = logging::get("groups");
  group.join_phase = JoinPhase::none;
  std::vector<std::string> gone;
  for (const auto& [id, member] : group.members()) {
    if (!member.awaiting_join() && !member.instance_id) gone.push_back(id);
  }
  for (const auto& id : gone) {
    auto removed = group.remove(id);
    out.answer(std::move(removed->sync_callback), SyncResult::failure(ErrorCode::unknown_member_id));
  }
  if (!gone.empty()) log->info("group {}: removed {} member(s) that did not rejoin", group.id(), gone.size());

  // The leader must be one of the members that rejoined.
  bool have_leader = false;
  if (group.leader && group.find(*group.leader) && group.find(*group.leader)->awaiting_join()) {
    have_leader = true;
  } else {
    for (const auto& [id, member] : group.members()) {
      if (member.awaiting_join()) {
        group.leader = id;
        have_leader = true;
        break;
      }
    }
  }
  if (!have_leader && group.size() > 0) {
    // Only static members that have not rejoined: wait another round.
    log->warn("group {}: no member rejoined; waiting another rebalance timeout", group.id());
    group.join_phase = JoinPhase::rebalance;
    group.join_deadline = now() + std::chrono::milliseconds(group.rebalance_timeout_ms());
    return;
  }

  group.init_next_generation(wall_ms());
  if (group.is(GroupState::empty)) {
    log->info("group {}: generation {} is empty", group.id(), group.generation);
    std::string id = group.id();
    return write_group(out, stored(group), [id](ErrorCode error) {
      if (error != ErrorCode::none) {
        logging::get("groups")->warn("group {}: storing the empty group failed with error {}", id,
                                     protocol::code(error));
      }
    });
  }
  log->info("group {}: generation {} with {} member(s), protocol {}, leader {}", group.id(), group.generation,
            group.size(), group.protocol_name.value_or(""), group.leader.value_or(""));
  for (auto& [id, member] : group.members()) {
    out.answer(std::exchange(member.join_callback, nullptr), generation_info(group, id, group.is_leader(id)));
    schedule_session(member, member.session_timeout_ms);
    member.is_new = false;
    group.pending_sync.insert(id);
  }
  // Members that got their answer must SyncGroup within the rebalance timeout.
  group.sync_deadline = now() + std::chrono::milliseconds(group.rebalance_timeout_ms());
}

void GroupCoordinator::remove_member_and_update(Entry& entry, Outbox& out, const std::string& member_id,
                                                const std::string& reason) {
  Group& group = entry.group;
  auto removed = group.remove(member_id);
  if (!removed) return;
  logging::get("groups")->info("group {}: member {} removed: {}", group.id(), member_id, reason);
  out.answer(std::move(removed->join_callback), JoinResult::failure("", ErrorCode::unknown_member_id));
  out.answer(std::move(removed->sync_callback), SyncResult::failure(ErrorCode::unknown_member_id));
  switch (group.state()) {
    case GroupState::stable:
    case GroupState::completing_rebalance:
      return maybe_prepare_rebalance(entry, out, reason);
    case GroupState::preparing_rebalance:
      return maybe_complete_join(entry, out);
    case GroupState::empty:
    case GroupState::dead:
      return;
  }
}

void GroupCoordinator::remove_pending_member(Entry& entry, Outbox& out, const std::string& member_id) {
  entry.group.pending_members.erase(member_id);
  maybe_complete_join(entry, out);
}

// The leader's SyncGroup: store the group with its assignment, then answer
// every member waiting in SyncGroup and become Stable.
void GroupCoordinator::leader_sync(Entry& entry, Outbox& out, const std::map<std::string, Bytes>& assignments) {
  Group& group = entry.group;
  std::map<std::string, Bytes> assignment;
  std::size_t missing = 0;
  for (const auto& [id, member] : group.members()) {
    auto it = assignments.find(id);
    if (it == assignments.end()) ++missing;
    assignment[id] = it == assignments.end() ? Bytes{} : it->second;
  }
  if (missing) {
    logging::get("groups")->warn("group {}: generation {}: empty assignment for {} member(s) the leader left out",
                                 group.id(), group.generation, missing);
  }
  StoredGroup record = stored(group);
  for (auto& m : record.members) m.assignment = assignment[m.member_id];

  std::int32_t generation = group.generation;
  std::weak_ptr<Entry> weak = entry.self;
  auto done = [this, weak, generation, assignment](ErrorCode error) {
    auto locked = weak.lock();
    if (!locked) return;
    Outbox later;
    std::lock_guard guard(locked->mutex);
    Group& g = locked->group;
    // A rebalance may have started meanwhile; then this result is moot.
    if (!g.is(GroupState::completing_rebalance) || g.generation != generation) return;
    if (error != ErrorCode::none) {
      logging::get("groups")->warn("group {}: storing generation {} failed with error {}", g.id(), generation,
                                   protocol::code(error));
      for (auto& [id, member] : g.members()) member.assignment.clear();
      propagate_assignment(*locked, later, group_write_error(error));
      maybe_prepare_rebalance(*locked, later, "storing the assignment failed");
    } else {
      for (auto& [id, member] : g.members()) {
        auto it = assignment.find(id);
        member.assignment = it == assignment.end() ? Bytes{} : it->second;
      }
      propagate_assignment(*locked, later, ErrorCode::none);
      g.transition_to(GroupState::stable, wall_ms());
    }
    arm_timer(*locked);
  };
  if (stored_size(record) > kMaxGroupRecordBytes) {
    logging::get("groups")->warn("group {}: generation {}: group metadata of about {} bytes is too large",
                                 group.id(), generation, stored_size(record));
    return out.add([done] { done(ErrorCode::message_too_large); });
  }
  write_group(out, std::move(record), std::move(done));
}

void GroupCoordinator::propagate_assignment(Entry& entry, Outbox& out, ErrorCode error) {
  Group& group = entry.group;
  for (auto& [id, member] : group.members()) {
    if (!member.awaiting_sync()) continue;
    SyncResult result;
    result.error = error;
    if (error == ErrorCode::none) {
      result.protocol_type = group.protocol_type;
      result.protocol_name = group.protocol_name;
      result.assignment = member.assignment;
    }
    out.answer(std::exchange(member.sync_callback, nullptr), std::move(result));
    // Its session may have passed while it waited: it starts again now.
    schedule_session(member, member.session_timeout_ms);
  }
}

void GroupCoordinator::schedule_session(Member& member, std::int32_t timeout_ms) {
  member.session_deadline = now() + std::chrono::milliseconds(timeout_ms);
}

}  // namespace brokkr::groups
