// JoinGroup: new members, rejoining members, static members replacing their
// earlier selves (Kafka's handleJoinGroup and its helpers).
#include <utility>

#include "groups/consumer/consumer_group_lookup.hpp"
#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/log_errors.hpp"
#include "groups/member_id.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {
namespace {

// Whether the group has room for `member_id` (group.max.size). In a
// rebalance, members already waiting are in; others count against those
// waiting, so that lowering the limit lets the last to rejoin drop out.
bool has_room(const Group& group, const std::string& member_id, std::int32_t max_size) {
  auto max = static_cast<std::size_t>(std::max(max_size, 0));
  switch (group.state()) {
    case GroupState::empty:
    case GroupState::dead:
      return true;
    case GroupState::preparing_rebalance: {
      auto it = group.members().find(member_id);
      return (it != group.members().end() && it->second.awaiting_join()) || group.awaiting_join_count() < max;
    }
    case GroupState::completing_rebalance:
    case GroupState::stable:
      return group.has(member_id) || group.size() < max;
  }
  return false;
}

}  // namespace

void GroupCoordinator::join_group(JoinRequest request, JoinCallback respond) {
  if (auto error = check_status(request.group_id, false)) {
    return respond(JoinResult::failure(request.member_id, *error));
  }
  if (request.session_timeout_ms < config_.min_session_timeout_ms ||
      request.session_timeout_ms > config_.max_session_timeout_ms) {
    return respond(JoinResult::failure(request.member_id, ErrorCode::invalid_session_timeout));
  }
  if (consumer_groups_ && consumer_groups_->is_consumer_group(request.group_id)) {
    // A consumer-protocol (KIP-848) group: with members, classic members
    // cannot join it (Kafka: INCONSISTENT_GROUP_PROTOCOL; classic members in
    // a consumer group are not supported here); an empty one gives its id
    // up to the classic protocol (Kafka's offline migration), offsets kept.
    if (consumer_groups_->delete_group(request.group_id) == ErrorCode::non_empty_group) {
      return respond(JoinResult::failure(request.member_id, ErrorCode::inconsistent_group_protocol));
    }
  }
  bool unknown_member = request.member_id.empty();
  // A group is created by the first join without a member id; a member id
  // for a group we do not have is unknown.
  EntryPtr entry = unknown_member ? find_or_create_entry(request.group_id) : find_entry(request.group_id);
  if (!entry) return respond(JoinResult::failure(request.member_id, ErrorCode::unknown_member_id));

  Outbox out;
  std::lock_guard lock(entry->mutex);
  Group& group = entry->group;
  if (group.is(GroupState::dead)) {
    // Deleted meanwhile: the client finds the coordinator again and retries.
    out.answer(std::move(respond), JoinResult::failure(request.member_id, ErrorCode::coordinator_not_available));
  } else if (!has_room(group, request.member_id, config_.max_size)) {
    if (group.has(request.member_id)) remove_member_and_update(*entry, out, request.member_id, "group is full");
    out.answer(std::move(respond), JoinResult::failure("", ErrorCode::group_max_size_reached));
  } else if (unknown_member) {
    new_member_join(*entry, out, request, respond);
  } else {
    current_member_join(*entry, out, request, respond);
  }
  maybe_complete_join(*entry, out);
  arm_timer(*entry);
}

void GroupCoordinator::new_member_join(Entry& entry, Outbox& out, const JoinRequest& request, JoinCallback& respond) {
  Group& group = entry.group;
  if (!group.supports(request.protocol_type, request.protocols)) {
    return out.answer(std::move(respond), JoinResult::failure("", ErrorCode::inconsistent_group_protocol));
  }
  std::string new_id = make_member_id(request.group_instance_id ? *request.group_instance_id : request.client_id);
  if (request.group_instance_id) {
    if (auto old_id = group.static_member(*request.group_instance_id)) {
      return static_member_rejoin(entry, out, request, *old_id, new_id, respond);
    }
    return add_member_and_rebalance(entry, out, request, new_id, std::move(respond));
  }
  if (request.require_known_member_id) {
    // Kafka 2.2+ (KIP-394): hand out the id first; the member joins with it,
    // so a client that retries a lost JoinGroup does not leave ghosts behind.
    group.pending_members[new_id] = now() + std::chrono::milliseconds(request.session_timeout_ms);
    return out.answer(std::move(respond), JoinResult::failure(new_id, ErrorCode::member_id_required));
  }
  add_member_and_rebalance(entry, out, request, new_id, std::move(respond));
}

void GroupCoordinator::current_member_join(Entry& entry, Outbox& out, const JoinRequest& request,
                                           JoinCallback& respond) {
  Group& group = entry.group;
  const std::string& id = request.member_id;
  if (!group.supports(request.protocol_type, request.protocols)) {
    return out.answer(std::move(respond), JoinResult::failure(id, ErrorCode::inconsistent_group_protocol));
  }
  if (group.pending_members.count(id)) {
    // Pending members are dynamic: one claiming an instance id is confused.
    if (request.group_instance_id) {
      return out.answer(std::move(respond), JoinResult::failure(id, ErrorCode::unknown_member_id));
    }
    return add_member_and_rebalance(entry, out, request, id, std::move(respond));
  }
  if (auto error = validate_member(group, id, request.group_instance_id)) {
    return out.answer(std::move(respond), JoinResult::failure(id, *error));
  }
  Member& member = *group.find(id);
  switch (group.state()) {
    case GroupState::preparing_rebalance:
      update_member(out, member, request, std::move(respond));
      return maybe_prepare_rebalance(entry, out, "member " + id + " rejoining");
    case GroupState::completing_rebalance:
      if (member.matches(request.protocols)) {
        // The same join again (its answer was lost): the current generation.
        return out.answer(std::move(respond), generation_info(group, id, group.is_leader(id)));
      }
      update_member(out, member, request, std::move(respond));
      return maybe_prepare_rebalance(entry, out, "member " + id + " changed its metadata");
    case GroupState::stable:
      if (group.is_leader(id) || !member.matches(request.protocols)) {
        // The leader rejoins to have the assignment redone (topic changes).
        update_member(out, member, request, std::move(respond));
        return maybe_prepare_rebalance(entry, out,
                                       group.is_leader(id) ? "leader " + id + " rejoining"
                                                           : "member " + id + " changed its metadata");
      }
      return out.answer(std::move(respond), generation_info(group, id, false));
    case GroupState::empty:
    case GroupState::dead:
      return out.answer(std::move(respond), JoinResult::failure(id, ErrorCode::unknown_member_id));
  }
}

// A known group.instance.id joins with no member id: a restart of that
// instance. It takes over the old member (fencing the old id); a Stable
// group keeps its generation and assignment unless the group's protocol
// would change.
void GroupCoordinator::static_member_rejoin(Entry& entry, Outbox& out, const JoinRequest& request,
                                            const std::string& old_id, const std::string& new_id,
                                            JoinCallback& respond) {
  Group& group = entry.group;
  logging::get("groups")->info("group {}: static member {} rejoins, replacing member {} with {} ({})", group.id(),
                               *request.group_instance_id, old_id, new_id, state_name(group.state()));
  std::optional<std::string> old_leader = group.leader;
  Member* old = group.find(old_id);
  out.answer(std::exchange(old->join_callback, nullptr), JoinResult::failure(old_id, ErrorCode::fenced_instance_id));
  out.answer(std::exchange(old->sync_callback, nullptr), SyncResult::failure(ErrorCode::fenced_instance_id));
  Member& member = group.rename(old_id, new_id);
  schedule_session(member, member.session_timeout_ms);
  Member previous = member;  // to undo the update if it cannot be stored
  update_member(out, member, request, std::move(respond));

  switch (group.state()) {
    case GroupState::stable: {
      if (group.select_protocol() != group.protocol_name) {
        return maybe_prepare_rebalance(entry, out, "static member " + new_id + " changes the group's protocol");
      }
      bool skip = request.support_skip_assignment;
      std::weak_ptr<Entry> weak = entry.self;
      return write_group(out, stored(group), [this, weak, old_id, new_id, old_leader, previous, skip](ErrorCode e) {
        auto locked = weak.lock();
        if (!locked) return;
        Outbox later;
        std::lock_guard guard(locked->mutex);
        on_static_member_stored(*locked, later, e, old_id, new_id, old_leader, previous, skip);
        arm_timer(*locked);
      });
    }
    case GroupState::completing_rebalance:
      // The leader may be assigning to the old id: assign again.
      return prepare_rebalance(entry, out, "static member " + new_id + " replaced " + old_id + " during a sync");
    case GroupState::preparing_rebalance:
      return;  // it now waits with the others
    case GroupState::empty:
    case GroupState::dead:
      // Not reachable (a static member makes the group non-empty); answer anyway.
      return out.answer(std::exchange(member.join_callback, nullptr),
                        JoinResult::failure(new_id, ErrorCode::unknown_member_id));
  }
}

void GroupCoordinator::on_static_member_stored(Entry& entry, Outbox& out, ErrorCode error, const std::string& old_id,
                                               const std::string& new_id,
                                               const std::optional<std::string>& old_leader,
                                               const Member& previous, bool support_skip_assignment) {
  Group& group = entry.group;
  Member* member = group.find(new_id);
  // Fenced again or caught in a rebalance since: that answered or will answer it.
  if (!member || !member->awaiting_join() || !group.is(GroupState::stable)) return;
  JoinCallback respond = std::exchange(member->join_callback, nullptr);
  if (error != ErrorCode::none) {
    logging::get("groups")->warn("group {}: storing static member {} failed (error {}); keeping {}", group.id(),
                                 new_id, protocol::code(error), old_id);
    member->protocols = previous.protocols;
    member->rebalance_timeout_ms = previous.rebalance_timeout_ms;
    member->session_timeout_ms = previous.session_timeout_ms;
    Member& restored = group.rename(new_id, old_id);
    schedule_session(restored, restored.session_timeout_ms);
    JoinResult result = generation_info(group, "", false);
    result.error = group_write_error(error);
    result.leader = old_leader.value_or("");
    return out.answer(std::move(respond), std::move(result));
  }
  if (support_skip_assignment) {
    // JoinGroup v9+: a static leader learns it leads but must not reassign.
    bool leads = group.is_leader(new_id);
    JoinResult result = generation_info(group, new_id, leads);
    result.skip_assignment = leads;
    return out.answer(std::move(respond), std::move(result));
  }
  // Older clients: name the old leader so that a rejoining leader does not
  // compute an assignment a Stable group would ignore.
  JoinResult result = generation_info(group, new_id, false);
  result.leader = old_leader.value_or("");
  out.answer(std::move(respond), std::move(result));
}

void GroupCoordinator::add_member_and_rebalance(Entry& entry, Outbox& out, const JoinRequest& request,
                                                const std::string& member_id, JoinCallback respond) {
  Group& group = entry.group;
  Member member;
  member.id = member_id;
  member.instance_id = request.group_instance_id;
  member.client_id = request.client_id;
  member.client_host = request.client_host;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.session_timeout_ms = request.session_timeout_ms;
  member.protocol_type = request.protocol_type;
  member.protocols = request.protocols;
  member.join_callback = std::move(respond);
  member.is_new = true;
  // More members arriving in the first rebalance extend its initial delay.
  if (group.is(GroupState::preparing_rebalance) && group.generation == 0) group.new_member_added = true;
  Member& added = group.add(std::move(member));
  // A new member cannot heartbeat before its JoinGroup answer; bound its wait instead.
  schedule_session(added, kNewMemberJoinTimeoutMs);
  maybe_prepare_rebalance(entry, out, "adding member " + member_id);
}

void GroupCoordinator::update_member(Outbox& out, Member& member, const JoinRequest& request, JoinCallback respond) {
  member.protocols = request.protocols;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.session_timeout_ms = request.session_timeout_ms;
  // A second JoinGroup while one waits: the first is answered, never dropped
  // (a response left out would stall its connection).
  out.answer(std::exchange(member.join_callback, nullptr),
             JoinResult::failure(member.id, ErrorCode::rebalance_in_progress));
  member.join_callback = std::move(respond);
}

std::optional<ErrorCode> GroupCoordinator::validate_member(const Group& group, const std::string& member_id,
                                                           const std::optional<std::string>& instance_id) const {
  if (instance_id) {
    auto current = group.static_member(*instance_id);
    if (!current) return ErrorCode::unknown_member_id;
    if (*current != member_id) return ErrorCode::fenced_instance_id;
  }
  if (!group.has(member_id)) return ErrorCode::unknown_member_id;
  return std::nullopt;
}

JoinResult GroupCoordinator::generation_info(const Group& group, const std::string& member_id,
                                             bool with_members) const {
  JoinResult r;
  r.member_id = member_id;
  r.generation = group.generation;
  r.protocol_type = group.protocol_type;
  r.protocol_name = group.protocol_name;
  r.leader = group.leader.value_or("");
  if (with_members) r.members = group.member_metadata();
  return r;
}

}  // namespace brokkr::groups
