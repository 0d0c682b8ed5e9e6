#include "groups/consumer/consumer_group_manager.hpp"

#include <algorithm>
#include <stdexcept>

#include "groups/consumer/group_errors.hpp"
#include "groups/consumer/reconciliation.hpp"
#include "groups/consumer/target_assignment.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups::consumer {
namespace {

using protocol::ErrorCode;

constexpr std::int32_t kJoinEpoch = 0;
constexpr std::int32_t kLeaveEpoch = -1;
constexpr std::int32_t kStaticLeaveEpoch = -2;

// A request the group refuses: the error code and message to answer.
struct GroupError {
  ErrorCode code;
  std::string message;
};

std::optional<PartitionSet> partition_set(
    const std::optional<std::vector<protocol::ConsumerGroupHeartbeatRequest::TopicPartitions>>& topics) {
  if (!topics) return std::nullopt;
  PartitionSet set;
  for (const auto& t : *topics) set[t.topic_id].insert(t.partitions.begin(), t.partitions.end());
  compact(set);
  return set;
}

bool is_subset(const std::optional<PartitionSet>& owned, const PartitionSet& of) {
  if (!owned) return false;
  for (const auto& [topic, partitions] : *owned) {
    for (auto p : partitions) {
      if (!contains(of, topic, p)) return false;
    }
  }
  return true;
}

std::vector<std::string> sorted_unique(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

ConsumerGroupMember fresh_member(const std::string& member_id) {
  ConsumerGroupMember member;
  member.member_id = member_id;
  return member;
}

void check_member_epoch(const ConsumerGroupMember& member, std::int32_t received,
                        const std::optional<PartitionSet>& owned) {
  if (received > member.member_epoch) {
    throw GroupError{kFencedMemberEpoch, "The consumer group member has a greater member epoch (" +
                                             std::to_string(received) +
                                             ") than the one known by the group coordinator (" +
                                             std::to_string(member.member_epoch) +
                                             "). The member must abandon all its partitions and rejoin."};
  }
  // The previous epoch is accepted with a subset of the current partitions:
  // the response that bumped the epoch may have been lost.
  if (received < member.member_epoch &&
      (received != member.previous_member_epoch || !is_subset(owned, member.assigned))) {
    throw GroupError{kFencedMemberEpoch, "The consumer group member has a smaller member epoch (" +
                                             std::to_string(received) +
                                             ") than the one known by the group coordinator (" +
                                             std::to_string(member.member_epoch) +
                                             "). The member must abandon all its partitions and rejoin."};
  }
}

std::vector<protocol::ConsumerGroupHeartbeatResponse::TopicPartitions> to_response(const PartitionSet& set) {
  std::vector<protocol::ConsumerGroupHeartbeatResponse::TopicPartitions> out;
  for (const auto& [topic, partitions] : set) {
    if (partitions.empty()) continue;
    protocol::ConsumerGroupHeartbeatResponse::TopicPartitions entry;
    entry.topic_id = topic;
    entry.partitions.assign(partitions.begin(), partitions.end());
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

OfferedAssignors offered_assignors(const std::vector<std::string>& names,
                                   const std::vector<sdk::Assignor*>& loaded) {
  OfferedAssignors out;
  for (const auto& name : names) {
    auto it = std::find_if(loaded.begin(), loaded.end(),
                           [&](const sdk::Assignor* a) { return a && a->name() == name; });
    if (it == loaded.end()) {
      out.missing.push_back(name);
    } else if (std::find(out.assignors.begin(), out.assignors.end(), *it) == out.assignors.end()) {
      out.assignors.push_back(*it);
    }
  }
  return out;
}

ConsumerGroupManager::ConsumerGroupManager(ConsumerGroupSettings settings, std::vector<sdk::Assignor*> assignors,
                                           MetadataSource metadata, ClockSource clock)
    : settings_(settings), assignors_(std::move(assignors)), metadata_(std::move(metadata)), clock_(std::move(clock)) {
  if (assignors_.empty()) throw std::invalid_argument("a consumer group manager needs at least one assignor");
}

void ConsumerGroupManager::set_classic_group_check(std::function<bool(const std::string&)> check) {
  classic_group_check_ = std::move(check);
}

void ConsumerGroupManager::set_coordinator_check(std::function<ErrorCode(const std::string&)> check) {
  coordinator_check_ = std::move(check);
}

sdk::Assignor& ConsumerGroupManager::assignor_for(const std::optional<std::string>& preferred) const {
  if (preferred) {
    for (auto* a : assignors_) {
      if (a->name() == *preferred) return *a;
    }
  }
  return *assignors_.front();
}

void ConsumerGroupManager::validate(const Request& request) const {
  auto invalid = [](std::string message) { return GroupError{ErrorCode::invalid_request, std::move(message)}; };
  if (request.group_id.empty()) throw invalid("GroupId can't be empty.");
  if (request.instance_id && request.instance_id->empty()) throw invalid("InstanceId can't be empty.");
  if (request.rack_id && request.rack_id->empty()) throw invalid("RackId can't be empty.");
  if (request.subscribed_topic_regex && !request.subscribed_topic_regex->empty()) {
    if (auto why = regex_error(*request.subscribed_topic_regex)) {
      throw GroupError{kInvalidRegularExpression, "SubscribedTopicRegex `" + *request.subscribed_topic_regex +
                                                      "` is not a valid regular expression: " + *why + "."};
    }
  }
  if (request.rebalance_timeout_ms < -1) throw invalid("RebalanceTimeoutMs can't be negative.");
  const std::int32_t epoch = request.member_epoch;
  if (epoch > 0 || epoch == kLeaveEpoch) {
    if (request.member_id.empty()) throw invalid("MemberId can't be empty.");
  } else if (epoch == kJoinEpoch) {
    if (request.rebalance_timeout_ms == -1) throw invalid("RebalanceTimeoutMs must be provided in first request.");
    if (!request.topic_partitions || !request.topic_partitions->empty()) {
      throw invalid("TopicPartitions must be empty when (re-)joining.");
    }
    const bool names = request.subscribed_topic_names && !request.subscribed_topic_names->empty();
    const bool regex = request.subscribed_topic_regex && !request.subscribed_topic_regex->empty();
    if (!names && !regex) throw invalid("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
  } else if (epoch == kStaticLeaveEpoch) {
    if (request.member_id.empty()) throw invalid("MemberId can't be empty.");
    if (!request.instance_id) throw invalid("InstanceId can't be null.");
  } else {
    throw invalid("MemberEpoch is invalid.");
  }
  if (request.server_assignor) {
    bool offered = std::any_of(assignors_.begin(), assignors_.end(),
                               [&](const sdk::Assignor* a) { return a->name() == *request.server_assignor; });
    if (!offered) {
      std::string names;
      for (const auto* a : assignors_) names += (names.empty() ? "" : ", ") + a->name();
      throw GroupError{kUnsupportedAssignor, "ServerAssignor " + *request.server_assignor +
                                                 " is not supported. Supported assignors: " + names + "."};
    }
  }
}

protocol::ConsumerGroupHeartbeatResponse ConsumerGroupManager::heartbeat(const Request& request,
                                                                         const ClientInfo& client) {
  bool wrote = false;
  return run_heartbeat(request, client, nullptr, wrote);
}

void ConsumerGroupManager::heartbeat(const Request& request, const ClientInfo& client,
                                     std::function<void(Response)> respond) {
  // The write may complete before or after the response is ready (a log may
  // call `done` at once): whichever comes second answers.
  struct Pending {
    std::mutex mutex;
    std::optional<Response> response;
    std::optional<ErrorCode> written;
    std::function<void(Response)> respond;
  };
  auto pending = std::make_shared<Pending>();
  pending->respond = std::move(respond);
  auto finish = [](Pending& p) {
    Response out = std::move(*p.response);
    if (*p.written != ErrorCode::none) {
      Response failed;
      failed.error_code = protocol::code(*p.written);
      failed.error_message = "The group's new state could not be written.";
      out = std::move(failed);
    }
    p.respond(std::move(out));
  };
  GroupLog::Done done = [pending, finish](ErrorCode error) {
    {
      std::lock_guard lock(pending->mutex);
      pending->written = error;
      if (!pending->response) return;
    }
    finish(*pending);
  };
  bool wrote = false;
  Response response = run_heartbeat(request, client, &done, wrote);
  if (!wrote) return pending->respond(std::move(response));
  {
    std::lock_guard lock(pending->mutex);
    pending->response = std::move(response);
    if (!pending->written) return;
  }
  finish(*pending);
}

protocol::ConsumerGroupHeartbeatResponse ConsumerGroupManager::run_heartbeat(const Request& request,
                                                                             const ClientInfo& client,
                                                                             const GroupLog::Done* done,
                                                                             bool& wrote) {
  // The hooks ask the classic coordinator; outside our lock, so that neither
  // side ever waits for the other while holding its own lock.
  const ErrorCode where = coordinator_check_ ? coordinator_check_(request.group_id) : ErrorCode::none;
  const bool classic = classic_group_check_ && classic_group_check_(request.group_id);
  std::lock_guard lock(mutex_);
  std::optional<GroupImage> before;
  if (auto it = groups_.find(request.group_id); it != groups_.end()) before = image_of(it->second);
  Response response;
  try {
    validate(request);
    if (where != ErrorCode::none) {
      throw GroupError{where, "This broker does not coordinate group " + request.group_id + "."};
    }
    if (request.member_epoch == kLeaveEpoch || request.member_epoch == kStaticLeaveEpoch) {
      response = leave(request);
    } else {
      response = join_or_heartbeat(request, client, clock_(), classic);
    }
  } catch (const GroupError& e) {
    response = Response{};
    response.error_code = protocol::code(e.code);
    response.error_message = e.message;
  }
  // Even a refused heartbeat may have changed the group (a member fenced on
  // the way): whatever changed is written.
  wrote = journal(request.group_id, before, done ? *done : log_failure(request.group_id));
  return response;
}

GroupLog::Done ConsumerGroupManager::log_failure(const std::string& group_id) const {
  return [group_id](ErrorCode error) {
    if (error != ErrorCode::none) {
      logging::get("groups")->warn("group {}: writing its state to {} failed: error {}", group_id,
                                   "__consumer_offsets", protocol::code(error));
    }
  };
}

bool ConsumerGroupManager::journal(const std::string& group_id, const std::optional<GroupImage>& before,
                                   GroupLog::Done done) {
  if (!log_) return false;
  auto it = groups_.find(group_id);
  std::optional<GroupImage> after;
  if (it != groups_.end()) after = image_of(it->second);
  std::vector<GroupRecord> records;
  try {
    records = journal_changes(group_id, before ? &*before : nullptr, after ? &*after : nullptr);
  } catch (const std::invalid_argument& e) {
    logging::get("groups")->error("group {}: its state cannot be encoded: {}", group_id, e.what());
    done(ErrorCode::unknown_server_error);
    return true;
  }
  if (records.empty()) return false;
  log_->store_records(group_id, std::move(records), std::move(done));
  return true;
}

std::vector<std::string> ConsumerGroupManager::resolve_regexes(
    std::map<std::string, ConsumerGroupMember>& members,
    const std::shared_ptr<const cluster::MetadataSnapshot>& snapshot) {
  std::vector<std::string> changed;
  for (auto& [id, member] : members) {
    std::vector<std::string> topics;
    if (member.subscribed_topic_regex) topics = regexes_.resolve(*member.subscribed_topic_regex, snapshot);
    if (topics != member.regex_topics) {
      member.regex_topics = std::move(topics);
      changed.push_back(id);
    }
  }
  return changed;
}

void ConsumerGroupManager::fence(ConsumerGroup& group, const std::string& member_id, const char* reason) {
  group.remove_member(member_id);
  ++group.group_epoch;
  logging::get("groups")->info("group {}: member {} removed: {}; group epoch {}", group.group_id(), member_id,
                               reason, group.group_epoch);
}

protocol::ConsumerGroupHeartbeatResponse ConsumerGroupManager::join_or_heartbeat(const Request& request,
                                                                                 const ClientInfo& client,
                                                                                 Clock::time_point now,
                                                                                 bool classic) {
  const bool joining = request.member_epoch == kJoinEpoch;
  auto group_it = groups_.find(request.group_id);
  if (group_it == groups_.end()) {
    if (classic) {
      throw GroupError{ErrorCode::group_id_not_found, "Group " + request.group_id + " is not a consumer group."};
    }
    if (!joining) throw GroupError{ErrorCode::group_id_not_found, "Group " + request.group_id + " not found."};
    group_it = groups_.emplace(request.group_id, ConsumerGroup(request.group_id)).first;
  }
  ConsumerGroup& group = group_it->second;
  const std::string member_id = request.member_id.empty() ? protocol::Uuid::random().to_base64() : request.member_id;
  if (group.members().size() >= static_cast<std::size_t>(std::max(settings_.max_group_size, 0)) &&
      !group.member(member_id)) {
    throw GroupError{kGroupMaxSizeReached, "The consumer group has reached its maximum capacity of " +
                                               std::to_string(settings_.max_group_size) + " members."};
  }
  const std::optional<PartitionSet> owned = partition_set(request.topic_partitions);

  // 1. The member as it stands: a fresh one when it (re)joins, the static
  //    member it replaces, or the known one after the epoch check.
  ConsumerGroupMember member;
  std::optional<std::string> replaced;  // a static member's previous member id
  if (request.instance_id) {
    const std::string* holder = group.static_member_id(*request.instance_id);
    if (joining && holder) {
      const ConsumerGroupMember& previous = *group.member(*holder);
      if (previous.member_epoch == kStaticLeaveEpoch) {
        // The instance comes back: it takes over its predecessor's partitions.
        member = previous;
        member.member_id = member_id;
        member.member_epoch = 0;
        member.previous_member_epoch = 0;
        member.pending_revocation.clear();
        if (*holder != member_id) replaced = *holder;
      } else if (*holder == member_id) {
        fence(group, member_id, "it rejoined with epoch 0");
        member = fresh_member(member_id);
      } else {
        throw GroupError{kUnreleasedInstanceId, "Static member " + member_id + " with instance id " +
                                                    *request.instance_id +
                                                    " cannot join the group because the instance id is owned by " +
                                                    *holder + " member."};
      }
    } else if (joining) {
      if (group.member(member_id)) fence(group, member_id, "it rejoined with epoch 0");
      member = fresh_member(member_id);
    } else {
      if (!holder) throw GroupError{ErrorCode::unknown_member_id, "Instance id " + *request.instance_id + " is unknown."};
      if (*holder != member_id) {
        throw GroupError{ErrorCode::fenced_instance_id, "Static member " + member_id + " with instance id " +
                                                            *request.instance_id + " was fenced by member " +
                                                            *holder + "."};
      }
      member = *group.member(member_id);
      check_member_epoch(member, request.member_epoch, owned);
    }
  } else if (joining) {
    // A member that rejoins with epoch 0 has given up its partitions (it
    // sends none): it starts over.
    if (group.member(member_id)) fence(group, member_id, "it rejoined with epoch 0");
    member = fresh_member(member_id);
  } else {
    const ConsumerGroupMember* known = group.member(member_id);
    if (!known) {
      throw GroupError{ErrorCode::unknown_member_id,
                       "Member " + member_id + " is not a member of group " + request.group_id + "."};
    }
    member = *known;
    check_member_epoch(member, request.member_epoch, owned);
  }

  // 2. What the heartbeat changes; null fields mean "unchanged".
  ConsumerGroupMember updated = member;
  if (request.instance_id) updated.instance_id = request.instance_id;
  if (request.rack_id) updated.rack_id = request.rack_id;
  if (request.rebalance_timeout_ms != -1) updated.rebalance_timeout_ms = request.rebalance_timeout_ms;
  if (request.server_assignor) updated.server_assignor = request.server_assignor;
  if (request.subscribed_topic_names) updated.subscribed_topic_names = sorted_unique(*request.subscribed_topic_names);
  if (request.subscribed_topic_regex) {
    // An empty regex drops the regex subscription.
    updated.subscribed_topic_regex = request.subscribed_topic_regex->empty()
                                         ? std::nullopt
                                         : std::optional<std::string>(*request.subscribed_topic_regex);
  }
  updated.client_id = client.client_id;
  updated.client_host = client.client_host;
  const bool new_member = !group.member(member_id);
  bool bump = new_member || updated.subscribed_topic_names != member.subscribed_topic_names ||
              updated.subscribed_topic_regex != member.subscribed_topic_regex;

  // The group as it will be, for the subscription and the assignor.
  std::map<std::string, ConsumerGroupMember> members = group.members();
  std::map<std::string, PartitionSet> targets = group.targets();
  if (replaced) {
    members.erase(*replaced);
    if (auto t = targets.find(*replaced); t != targets.end()) {
      targets[member_id] = t->second;
      targets.erase(*replaced);
    }
  }
  members[member_id] = updated;
  auto snapshot = metadata_();
  // Regexes match other topics once topics are created or deleted: like a
  // subscription change, that bumps the group epoch.
  std::vector<std::string> regex_changed = resolve_regexes(members, snapshot);
  if (!regex_changed.empty()) bump = true;
  updated.regex_topics = members[member_id].regex_topics;
  std::set<std::string> topic_names;
  for (const auto& [id, m] : members) {
    topic_names.insert(m.subscribed_topic_names.begin(), m.subscribed_topic_names.end());
    topic_names.insert(m.regex_topics.begin(), m.regex_topics.end());
  }
  SubscriptionMetadata metadata = snapshot ? subscription_metadata(topic_names, *snapshot) : SubscriptionMetadata{};
  if (metadata != group.subscription_metadata) bump = true;  // topics created, deleted, partitions added
  const std::int32_t group_epoch = group.group_epoch + (bump ? 1 : 0);

  // 3. A new target assignment when the group epoch moved past it.
  std::optional<TargetAssignment> target;
  std::string assignor_name;
  if (group_epoch > group.assignment_epoch) {
    sdk::Assignor& assignor = assignor_for(preferred_assignor(members));
    assignor_name = assignor.name();
    try {
      target = compute_target_assignment(members, targets, metadata, assignor);
    } catch (const std::exception& e) {
      logging::get("groups")->error("group {}: assignor {} failed for epoch {}: {}", group.group_id(),
                                    assignor_name, group_epoch, e.what());
      throw GroupError{ErrorCode::unknown_server_error, "Failed to compute a new target assignment for epoch " +
                                                            std::to_string(group_epoch) + ": " + e.what()};
    } catch (...) {
      logging::get("groups")->error("group {}: assignor {} failed for epoch {}", group.group_id(),
                                    assignor_name, group_epoch);
      throw GroupError{ErrorCode::unknown_server_error,
                       "Failed to compute a new target assignment for epoch " + std::to_string(group_epoch) + "."};
    }
  }

  // Nothing can fail from here on: apply.
  if (new_member) {
    logging::get("groups")->info("group {}: member {} joins (client {}, {})", group.group_id(), member_id,
                                 client.client_id, client.client_host);
  }
  if (replaced) {
    group.move_target(*replaced, member_id);
    group.remove_member(*replaced);
    logging::get("groups")->info("group {}: static member {} replaces {} for instance {}", group.group_id(),
                                 member_id, *replaced, *request.instance_id);
  }
  group.subscription_metadata = std::move(metadata);
  group.group_epoch = group_epoch;
  for (const auto& id : regex_changed) {
    if (id != member_id && group.member(id)) group.put_member(members[id]);
  }
  group.put_member(updated);
  if (target) {
    if (target->refused_count > 0) {
      std::string examples;
      for (const auto& r : target->refused) examples += (examples.empty() ? "" : "; ") + r;
      logging::get("groups")->warn("group {}: assignor {} returned {} invalid partition(s), left unassigned: {}",
                                   group.group_id(), assignor_name, target->refused_count, examples);
    }
    group.set_targets(std::move(target->targets), group_epoch);
    logging::get("groups")->info("group {}: target assignment for epoch {} computed by assignor {} ({} members)",
                                 group.group_id(), group_epoch, assignor_name, group.members().size());
  }

  // 4. Reconcile the member toward its target.
  ConsumerGroupMember reconciled = updated;
  if (!updated.reconciled_to(group.assignment_epoch)) {
    reconciled = reconcile(updated, group.assignment_epoch, group.target_of(member_id),
                           [&group](const protocol::Uuid& t, std::int32_t p) { return group.partition_epoch(t, p); },
                           owned);
    if (reconciled.state != MemberState::unrevoked_partitions) {
      reconciled.rebalance_deadline.reset();
    } else if (updated.state != MemberState::unrevoked_partitions ||
               reconciled.member_epoch != updated.member_epoch ||
               reconciled.pending_revocation != updated.pending_revocation) {
      reconciled.rebalance_deadline = now + std::chrono::milliseconds(reconciled.rebalance_timeout_ms);
    }
  }
  reconciled.session_deadline = now + std::chrono::milliseconds(settings_.session_timeout_ms);
  group.put_member(reconciled);

  Response response;
  response.member_id = member_id;
  response.member_epoch = reconciled.member_epoch;
  response.heartbeat_interval_ms = settings_.heartbeat_interval_ms;
  // The assignment goes out on a full request (join, or a client resending
  // everything after an error) and whenever it changed.
  const bool full_request = joining || (request.rebalance_timeout_ms != -1 &&
                                        (request.subscribed_topic_names || request.subscribed_topic_regex) &&
                                        request.topic_partitions);
  if (full_request || reconciled.assigned != member.assigned) {
    response.assignment.emplace();
    response.assignment->topic_partitions = to_response(reconciled.assigned);
  }
  return response;
}

protocol::ConsumerGroupHeartbeatResponse ConsumerGroupManager::leave(const Request& request) {
  auto group_it = groups_.find(request.group_id);
  if (group_it == groups_.end()) {
    throw GroupError{ErrorCode::group_id_not_found, "Group " + request.group_id + " not found."};
  }
  ConsumerGroup& group = group_it->second;
  if (!request.instance_id) {
    if (!group.member(request.member_id)) {
      throw GroupError{ErrorCode::unknown_member_id,
                       "Member " + request.member_id + " is not a member of group " + request.group_id + "."};
    }
    fence(group, request.member_id, "it left the group");
  } else {
    const std::string* holder = group.static_member_id(*request.instance_id);
    if (!holder) throw GroupError{ErrorCode::unknown_member_id, "Instance id " + *request.instance_id + " is unknown."};
    if (*holder != request.member_id) {
      throw GroupError{ErrorCode::fenced_instance_id, "Static member " + request.member_id + " with instance id " +
                                                          *request.instance_id + " was fenced by member " + *holder +
                                                          "."};
    }
    if (request.member_epoch == kStaticLeaveEpoch) {
      // Gone for a while: it keeps its partitions until its session expires
      // or the instance comes back under a new member id.
      ConsumerGroupMember member = *group.member(request.member_id);
      member.member_epoch = kStaticLeaveEpoch;
      member.pending_revocation.clear();
      member.rebalance_deadline.reset();
      group.put_member(std::move(member));
      logging::get("groups")->info("group {}: static member {} (instance {}) left for now", group.group_id(),
                                   request.member_id, *request.instance_id);
    } else {
      fence(group, request.member_id, "it left the group");
    }
  }
  Response response;
  response.member_id = request.member_id;
  response.member_epoch = request.member_epoch;
  return response;
}

void ConsumerGroupManager::expire_members() {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  for (auto& [group_id, group] : groups_) {
    std::optional<GroupImage> before;
    std::vector<std::pair<std::string, const char*>> expired;
    for (const auto& [id, member] : group.members()) {
      if (now >= member.session_deadline) {
        expired.emplace_back(id, "its session expired");
      } else if (member.rebalance_deadline && now >= *member.rebalance_deadline) {
        expired.emplace_back(id, "it did not revoke its partitions within its rebalance timeout");
      }
    }
    if (expired.empty()) continue;
    before = image_of(group);
    for (const auto& [id, reason] : expired) fence(group, id, reason);
    journal(group_id, before, log_failure(group_id));
  }
}

}  // namespace brokkr::groups::consumer
