// SyncGroup, Heartbeat and LeaveGroup (Kafka's handleSyncGroup,
// handleHeartbeat, handleLeaveGroup). For the id of a KIP-848 consumer group
// they answer what Kafka 3.8+ answers a classic member there when no member
// of the group uses the classic protocol (consumer_group_lookup.hpp):
// UNKNOWN_MEMBER_ID, or FENCED_INSTANCE_ID for an instance id held by
// another member; the group is left untouched.
#include <utility>

#include "groups/consumer/consumer_group_lookup.hpp"
#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/outbox.hpp"

namespace brokkr::groups {

std::optional<ErrorCode> GroupCoordinator::consumer_group_member_error(
    const std::string& group_id, const std::string& member_id, const std::optional<std::string>& instance_id) const {
  if (!consumer_groups_) return std::nullopt;
  ErrorCode error = consumer_groups_->validate_classic_member(group_id, member_id, instance_id);
  if (error == ErrorCode::group_id_not_found) return std::nullopt;  // not a consumer-protocol group
  return error;
}

void GroupCoordinator::sync_group(SyncRequest request, SyncCallback respond) {
  if (auto error = check_status(request.group_id, false)) {
    // A coordinator still loading has lost the rebalance: the member rejoins
    // (older clients do not know COORDINATOR_LOAD_IN_PROGRESS here).
    if (*error == ErrorCode::coordinator_load_in_progress) error = ErrorCode::rebalance_in_progress;
    return respond(SyncResult::failure(*error));
  }
  if (auto error = consumer_group_member_error(request.group_id, request.member_id, request.group_instance_id)) {
    return respond(SyncResult::failure(*error));
  }
  EntryPtr entry = find_entry(request.group_id);
  if (!entry) return respond(SyncResult::failure(ErrorCode::unknown_member_id));

  Outbox out;
  std::lock_guard lock(entry->mutex);
  Group& group = entry->group;
  auto fail = [&](ErrorCode error) { out.answer(std::move(respond), SyncResult::failure(error)); };
  if (group.is(GroupState::dead)) {
    fail(ErrorCode::coordinator_not_available);
  } else if (auto error = validate_member(group, request.member_id, request.group_instance_id)) {
    fail(*error);
  } else if (request.generation != group.generation) {
    fail(ErrorCode::illegal_generation);
  } else if ((request.protocol_type && request.protocol_type != group.protocol_type) ||
             (request.protocol_name && request.protocol_name != group.protocol_name)) {
    fail(ErrorCode::inconsistent_group_protocol);
  } else {
    Member& member = *group.find(request.member_id);
    switch (group.state()) {
      case GroupState::empty:
      case GroupState::dead:
        fail(ErrorCode::unknown_member_id);
        break;
      case GroupState::preparing_rebalance:
        fail(ErrorCode::rebalance_in_progress);
        break;
      case GroupState::completing_rebalance:
        out.answer(std::exchange(member.sync_callback, nullptr), SyncResult::failure(ErrorCode::rebalance_in_progress));
        member.sync_callback = std::move(respond);
        group.pending_sync.erase(member.id);
        if (group.pending_sync.empty()) group.sync_deadline.reset();
        if (group.is_leader(member.id)) leader_sync(*entry, out, request.assignments);
        break;
      case GroupState::stable: {
        // Stable already: this member's part of the current assignment.
        group.pending_sync.erase(member.id);
        if (group.pending_sync.empty()) group.sync_deadline.reset();
        SyncResult result;
        result.protocol_type = group.protocol_type;
        result.protocol_name = group.protocol_name;
        result.assignment = member.assignment;
        out.answer(std::move(respond), std::move(result));
        schedule_session(member, member.session_timeout_ms);
        break;
      }
    }
  }
  arm_timer(*entry);
}

ErrorCode GroupCoordinator::heartbeat(const HeartbeatRequest& request) {
  if (auto error = check_status(request.group_id, false)) {
    // While loading, answer blindly: the member's state is not known yet.
    return *error == ErrorCode::coordinator_load_in_progress ? ErrorCode::none : *error;
  }
  if (auto error = consumer_group_member_error(request.group_id, request.member_id, request.group_instance_id)) {
    return *error;
  }
  EntryPtr entry = find_entry(request.group_id);
  if (!entry) return ErrorCode::unknown_member_id;

  std::lock_guard lock(entry->mutex);
  Group& group = entry->group;
  if (group.is(GroupState::dead)) return ErrorCode::coordinator_not_available;
  if (auto error = validate_member(group, request.member_id, request.group_instance_id)) return *error;
  if (request.generation != group.generation) return ErrorCode::illegal_generation;
  Member& member = *group.find(request.member_id);
  ErrorCode answer = ErrorCode::none;
  switch (group.state()) {
    case GroupState::empty:
    case GroupState::dead:
      return ErrorCode::unknown_member_id;
    case GroupState::preparing_rebalance:
      answer = ErrorCode::rebalance_in_progress;  // time to rejoin
      break;
    case GroupState::completing_rebalance:
    case GroupState::stable:
      break;
  }
  schedule_session(member, member.session_timeout_ms);
  arm_timer(*entry);
  return answer;
}

LeaveResult GroupCoordinator::leave_group(const std::string& group_id, const std::vector<LeavingMember>& members) {
  LeaveResult result;
  if (auto error = check_status(group_id, false)) {
    result.error = *error;
    return result;
  }
  if (consumer_groups_ && consumer_groups_->is_consumer_group(group_id)) {
    // Each member answers for itself (Kafka: the top level is NONE); the
    // consumer-protocol group is left as it is.
    for (const auto& leaving : members) {
      auto error = consumer_group_member_error(group_id, leaving.member_id, leaving.group_instance_id);
      result.members.push_back(error.value_or(ErrorCode::unknown_member_id));
    }
    return result;
  }
  EntryPtr entry = find_entry(group_id);
  if (!entry) {
    result.members.assign(members.size(), ErrorCode::unknown_member_id);
    return result;
  }

  Outbox out;
  std::lock_guard lock(entry->mutex);
  Group& group = entry->group;
  if (group.is(GroupState::dead)) {
    result.error = ErrorCode::coordinator_not_available;
    return result;
  }
  for (const auto& leaving : members) {
    ErrorCode error = ErrorCode::none;
    if (leaving.member_id.empty()) {
      // Removal by group.instance.id (an admin removing a static member).
      auto current = leaving.group_instance_id ? group.static_member(*leaving.group_instance_id) : std::nullopt;
      if (current) {
        remove_member_and_update(*entry, out, *current, "left (by instance id): " + leaving.reason);
      } else {
        error = ErrorCode::unknown_member_id;
      }
    } else if (group.pending_members.count(leaving.member_id)) {
      remove_pending_member(*entry, out, leaving.member_id);
    } else if (auto invalid = validate_member(group, leaving.member_id, leaving.group_instance_id)) {
      error = *invalid;
    } else {
      remove_member_and_update(*entry, out, leaving.member_id, "left the group: " + leaving.reason);
    }
    result.members.push_back(error);
  }
  arm_timer(*entry);
  return result;
}

}  // namespace brokkr::groups
