// Committed offsets: OffsetCommit (members of the current generation, or
// anyone while the group is Empty), OffsetFetch, OffsetDelete, and the
// periodic retention pass.
#include <set>

#include "groups/consumer/consumer_group_lookup.hpp"
#include "groups/consumer_protocol.hpp"
#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/log_errors.hpp"
#include "groups/offset_retention.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {
namespace {

CommitResult all_failed(const CommitRequest& request, ErrorCode error) {
  CommitResult result;
  for (const auto& o : request.offsets) result[o.partition] = error;
  return result;
}

// Kafka's validateOffsetCommit for a group that exists.
std::optional<ErrorCode> commit_error(const Group& group, const CommitRequest& request,
                                      const std::optional<ErrorCode>& member_error) {
  if (group.is(GroupState::dead)) return ErrorCode::coordinator_not_available;
  // Generation -1: an admin client or a consumer without group management
  // (assign()); it may commit while nobody else uses the group.
  if (request.generation < 0 && group.is(GroupState::empty)) return std::nullopt;
  if (request.generation >= 0 || !request.member_id.empty() || request.group_instance_id) {
    if (member_error) return member_error;
    if (request.generation != group.generation) return ErrorCode::illegal_generation;
    return std::nullopt;
  }
  if (!group.is(GroupState::empty)) return ErrorCode::unknown_member_id;  // only members commit to an active group
  return std::nullopt;
}

}  // namespace

void GroupCoordinator::commit_offsets(CommitRequest request, CommitCallback respond) {
  if (auto error = check_status(request.group_id, true)) return respond(all_failed(request, *error));
  if (consumer_groups_ && consumer_groups_->is_consumer_group(request.group_id)) {
    return commit_consumer_group_offsets(std::move(request), std::move(respond));
  }
  EntryPtr entry = find_entry(request.group_id);
  if (!entry) {
    // No group: only a commit outside group management creates one.
    if (request.generation >= 0) return respond(all_failed(request, ErrorCode::illegal_generation));
    entry = find_or_create_entry(request.group_id);
  }

  Outbox out;
  std::lock_guard lock(entry->mutex);
  Group& group = entry->group;
  auto member_error = validate_member(group, request.member_id, request.group_instance_id);
  if (auto error = commit_error(group, request, member_error)) {
    out.answer(std::move(respond), all_failed(request, *error));
    return;
  }
  switch (group.state()) {
    case GroupState::empty:
      store_offsets(*entry, out, request, std::move(respond));
      break;
    case GroupState::stable:
    case GroupState::preparing_rebalance: {
      // A commit proves the member alive; a rebalance shows up in its next heartbeat.
      if (Member* member = group.find(request.member_id)) schedule_session(*member, member->session_timeout_ms);
      store_offsets(*entry, out, request, std::move(respond));
      break;
    }
    case GroupState::completing_rebalance:
      // It has this generation's JoinGroup answer but not its assignment yet.
      out.answer(std::move(respond), all_failed(request, ErrorCode::rebalance_in_progress));
      break;
    case GroupState::dead:
      out.answer(std::move(respond), all_failed(request, ErrorCode::coordinator_not_available));
      break;
  }
  arm_timer(*entry);
}

// A consumer-protocol (KIP-848) group: the lookup checks the member and its
// epoch (consumer_group_lookup.hpp); the offsets are then stored like a
// classic group's, in an entry that only holds offsets (Empty).
void GroupCoordinator::commit_consumer_group_offsets(CommitRequest request, CommitCallback respond) {
  ErrorCode error = consumer_groups_->validate_offset_commit(request.group_id, request.member_id, request.generation);
  // Epoch < 0 is accepted only while the group has no members (an admin
  // client or a standalone consumer); a member must use OffsetCommit v9+.
  bool admin = error == ErrorCode::none && request.generation < 0;
  bool old_version = request.api_version >= 0 && request.api_version < 9;
  if (!admin && old_version && error != ErrorCode::unknown_member_id && error != ErrorCode::group_id_not_found) {
    error = ErrorCode::unsupported_version;
  }
  if (error != ErrorCode::none) return respond(all_failed(request, error));
  EntryPtr entry = find_or_create_entry(request.group_id);
  Outbox out;
  std::lock_guard lock(entry->mutex);
  if (entry->group.is(GroupState::dead)) {
    out.answer(std::move(respond), all_failed(request, ErrorCode::coordinator_not_available));
    return;
  }
  store_offsets(*entry, out, request, std::move(respond));
  arm_timer(*entry);
}

void GroupCoordinator::store_offsets(Entry& entry, Outbox& out, const CommitRequest& request,
                                     CommitCallback respond) {
  std::int64_t now_ms = wall_ms();
  auto result = std::make_shared<CommitResult>();
  std::vector<CommittedOffset> valid;
  for (const auto& o : request.offsets) {
    if (o.metadata && o.metadata->size() > static_cast<std::size_t>(std::max(config_.offset_metadata_max_bytes, 0))) {
      (*result)[o.partition] = ErrorCode::offset_metadata_too_large;
      continue;
    }
    CommittedOffset c;
    c.topic = o.partition.first;
    c.partition = o.partition.second;
    c.offset = o.offset;
    c.leader_epoch = o.leader_epoch;
    c.metadata = o.metadata.value_or("");
    c.commit_timestamp_ms = o.commit_timestamp_ms < 0 ? now_ms : o.commit_timestamp_ms;
    if (request.retention_time_ms >= 0) c.expire_timestamp_ms = now_ms + request.retention_time_ms;
    (*result)[o.partition] = ErrorCode::none;
    valid.push_back(std::move(c));
  }
  if (valid.empty()) return out.answer(std::move(respond), std::move(*result));

  std::weak_ptr<Entry> weak = entry.self;
  auto done = [weak, valid, result, respond = std::move(respond)](ErrorCode error) {
    if (auto locked = weak.lock(); locked && error == ErrorCode::none) {
      std::lock_guard guard(locked->mutex);
      // Durable now: visible to OffsetFetch.
      if (!locked->group.is(GroupState::dead)) {
        for (const auto& c : valid) locked->group.offsets.put(c);
      }
    }
    for (const auto& c : valid) (*result)[{c.topic, c.partition}] = offset_write_error(error);
    respond(std::move(*result));
  };
  write_offsets(out, entry.group.id(), std::move(valid), std::move(done));
}

OffsetFetchResult GroupCoordinator::fetch_offsets(const std::string& group_id,
                                                  const std::optional<std::vector<TopicPartition>>& partitions,
                                                  const std::optional<FetchMember>& member) {
  OffsetFetchResult result;
  if (auto error = check_status(group_id, true)) {
    result.error = *error;
    return result;
  }
  // v9+ names the member: a consumer-protocol group checks it and its epoch.
  if (member && consumer_groups_ && consumer_groups_->is_consumer_group(group_id)) {
    ErrorCode error = consumer_groups_->validate_offset_fetch(group_id, member->member_id, member->member_epoch);
    if (error != ErrorCode::none && error != ErrorCode::group_id_not_found) {
      result.error = error;
      return result;
    }
  }
  auto unknown = [&] {
    if (partitions) {
      for (const auto& tp : *partitions) result.offsets[tp] = FetchedOffset{};
    }
    return result;
  };
  EntryPtr entry = find_entry(group_id);
  if (!entry) return unknown();
  std::lock_guard lock(entry->mutex);
  const Group& group = entry->group;
  if (group.is(GroupState::dead)) return unknown();
  // Offsets are answered whatever the group's state: a group may only store them.
  for (const auto& tp : partitions ? *partitions : group.offsets.partitions()) {
    FetchedOffset fetched;
    if (const CommittedOffset* c = group.offsets.find(tp)) {
      fetched.offset = c->offset;
      fetched.leader_epoch = c->leader_epoch;
      fetched.metadata = c->metadata.value_or("");
    }
    result.offsets[tp] = fetched;
  }
  return result;
}

OffsetDeleteResult GroupCoordinator::delete_offsets(const std::string& group_id,
                                                    const std::vector<TopicPartition>& partitions) {
  OffsetDeleteResult result;
  if (auto error = check_status(group_id, false)) {
    result.error = *error;
    return result;
  }
  // A KIP-848 group (Kafka's OffsetMetadataManager.deleteOffsets): the
  // offsets of topics its members subscribe to stay; the others go, even
  // while it has members. Its offsets live in an Empty classic entry, if any.
  std::optional<std::set<std::string>> consumer_topics;
  if (consumer_groups_) consumer_topics = consumer_groups_->subscribed_topics(group_id);
  EntryPtr entry = find_entry(group_id);
  if (!entry) {
    if (consumer_topics) {
      for (const auto& tp : partitions) {
        result.partitions[tp] = consumer_topics->count(tp.first) ? ErrorCode::group_subscribed_to_topic : ErrorCode::none;
      }
    } else {
      result.error = ErrorCode::group_id_not_found;
    }
    return result;
  }
  Outbox out;
  std::lock_guard lock(entry->mutex);
  Group& group = entry->group;
  std::vector<TopicPartition> eligible;
  if (consumer_topics && !group.is(GroupState::dead)) {
    for (const auto& tp : partitions) {
      if (consumer_topics->count(tp.first)) {
        result.partitions[tp] = ErrorCode::group_subscribed_to_topic;
      } else {
        eligible.push_back(tp);
      }
    }
  } else if (group.is(GroupState::dead)) {
    result.error = ErrorCode::group_id_not_found;
    return result;
  } else if (group.is(GroupState::empty)) {
    eligible = partitions;
  } else if (group.protocol_type == kConsumerProtocolType) {
    // An active consumer group keeps the offsets of topics it consumes.
    const auto& topics = group.subscribed_topics();
    for (const auto& tp : partitions) {
      if (!topics || topics->count(tp.first)) {
        result.partitions[tp] = ErrorCode::group_subscribed_to_topic;
      } else {
        eligible.push_back(tp);
      }
    }
  } else {
    result.error = ErrorCode::non_empty_group;
    return result;
  }
  std::vector<TopicPartition> removed;
  for (const auto& tp : eligible) {
    if (group.offsets.remove(tp)) removed.push_back(tp);
    result.partitions[tp] = ErrorCode::none;
  }
  if (!removed.empty()) write_removals(out, group.id(), std::move(removed), false);
  return result;
}

void GroupCoordinator::expire_offsets() {
  std::int64_t now_ms = wall_ms();
  std::size_t expired_total = 0;
  std::size_t groups_removed = 0;
  for (const auto& entry : all_entries()) {
    Outbox out;
    std::lock_guard lock(entry->mutex);
    Group& group = entry->group;
    if (group.is(GroupState::dead)) continue;
    auto expired = expired_offsets(group, now_ms, config_.offsets_retention_ms);
    for (const auto& tp : expired) group.offsets.remove(tp);
    expired_total += expired.size();
    // An empty group with nothing left to keep goes away.
    bool remove_group = group.is(GroupState::empty) && group.offsets.empty() && group.size() == 0 &&
                        group.pending_members.empty();
    if (!expired.empty() || remove_group) write_removals(out, group.id(), std::move(expired), remove_group);
    if (remove_group) {
      erase_entry(*entry);
      ++groups_removed;
    }
  }
  if (expired_total || groups_removed) {
    logging::get("groups")->info("offset retention: removed {} expired offset(s) and {} empty group(s)",
                                 expired_total, groups_removed);
  }
}

}  // namespace brokkr::groups
