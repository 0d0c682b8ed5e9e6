// Deadlines: the join phase (initial delay, rebalance timeout), the sync
// phase, pending members and member sessions. Each group keeps them as
// times; one steady_timer per group fires at the earliest of them.
#include <boost/asio/post.hpp>

#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {

void GroupCoordinator::process_deadlines(Entry& entry, Outbox& out) {
  Group& group = entry.group;
  if (group.is(GroupState::dead)) return;
  TimePoint t = now();
  if (group.join_phase != JoinPhase::none && t >= group.join_deadline) on_join_deadline(entry, out);
  if (group.sync_deadline && t >= *group.sync_deadline) on_sync_deadline(entry, out);
  std::vector<std::string> due;
  for (const auto& [id, deadline] : group.pending_members) {
    if (t >= deadline) due.push_back(id);
  }
  for (const auto& id : due) {
    logging::get("groups")->info("group {}: pending member {} did not rejoin in time", group.id(), id);
    remove_pending_member(entry, out, id);
  }
  due.clear();
  for (const auto& [id, member] : group.members()) {
    if (member.session_deadline && t >= *member.session_deadline) due.push_back(id);
  }
  for (const auto& id : due) on_session_deadline(entry, out, id);
}

void GroupCoordinator::on_join_deadline(Entry& entry, Outbox& out) {
  Group& group = entry.group;
  if (group.join_phase == JoinPhase::initial_delay && group.new_member_added &&
      group.initial_delay_remaining_ms > 0) {
    // Members kept arriving: wait again, within the rebalance timeout.
    std::int32_t delay = std::min(std::max(config_.initial_rebalance_delay_ms, 0), group.initial_delay_remaining_ms);
    group.initial_delay_remaining_ms -= delay;
    group.new_member_added = false;
    group.join_deadline = now() + std::chrono::milliseconds(delay);
    return;
  }
  complete_join(entry, out);
}

// Members that got their JoinGroup answer but never sent SyncGroup are out.
void GroupCoordinator::on_sync_deadline(Entry& entry, Outbox& out) {
  Group& group = entry.group;
  group.sync_deadline.reset();
  if (!(group.is(GroupState::completing_rebalance) || group.is(GroupState::stable)) || group.pending_sync.empty()) {
    return;
  }
  std::vector<std::string> late(group.pending_sync.begin(), group.pending_sync.end());
  for (const auto& id : late) {
    auto removed = group.remove(id);
    if (!removed) continue;
    out.answer(std::move(removed->join_callback), JoinResult::failure("", ErrorCode::unknown_member_id));
    out.answer(std::move(removed->sync_callback), SyncResult::failure(ErrorCode::unknown_member_id));
  }
  prepare_rebalance(entry, out, std::to_string(late.size()) + " member(s) did not send SyncGroup in time");
}

void GroupCoordinator::on_session_deadline(Entry& entry, Outbox& out, const std::string& member_id) {
  Member* member = entry.group.find(member_id);
  if (!member) return;
  if (!member->is_new && (member->awaiting_join() || member->awaiting_sync())) {
    // Waiting in a rebalance keeps a member alive; its session restarts with the answer.
    member->session_deadline.reset();
    return;
  }
  remove_member_and_update(entry, out, member_id,
                           member->is_new ? "its JoinGroup waited too long" : "session timeout expired");
}

void GroupCoordinator::arm_timer(Entry& entry) {
  const Group& group = entry.group;
  std::optional<TimePoint> next;
  auto consider = [&next](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  if (!group.is(GroupState::dead) && !stopped_) {
    if (group.join_phase != JoinPhase::none) consider(group.join_deadline);
    if (group.sync_deadline) consider(*group.sync_deadline);
    for (const auto& [id, deadline] : group.pending_members) consider(deadline);
    for (const auto& [id, member] : group.members()) {
      if (member.session_deadline) consider(*member.session_deadline);
    }
  }
  if (!next) {
    if (entry.armed) entry.timer.cancel();
    entry.armed.reset();
    return;
  }
  // A timer set for later than needed is moved; one set earlier fires and re-arms.
  if (entry.armed && *entry.armed <= *next) return;
  entry.armed = next;
  entry.timer.expires_at(*next);
  std::weak_ptr<Entry> weak = entry.self;
  entry.timer.async_wait([this, weak](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (auto locked = weak.lock()) on_timer(locked);
  });
}

void GroupCoordinator::on_timer(const EntryPtr& entry) {
  try {
    Outbox out;
    std::lock_guard lock(entry->mutex);
    entry->armed.reset();
    process_deadlines(*entry, out);
    arm_timer(*entry);
  } catch (const std::exception& e) {
    logging::get("groups")->error("group {}: timer failed: {}", entry->group.id(), e.what());
  }
}

void GroupCoordinator::run_due_timers() {
  for (const auto& entry : all_entries()) {
    Outbox out;
    std::lock_guard lock(entry->mutex);
    process_deadlines(*entry, out);
    arm_timer(*entry);
  }
}

void GroupCoordinator::arm_retention_timer() {
  std::lock_guard lock(retention_mutex_);
  if (stopped_) return;
  retention_timer_.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(
      config_.offsets_retention_check_interval_ms, 1)));
  retention_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || stopped_) return;
    try {
      expire_offsets();
    } catch (const std::exception& e) {
      logging::get("groups")->error("offset retention failed: {}", e.what());
    }
    arm_retention_timer();
  });
}

}  // namespace brokkr::groups
