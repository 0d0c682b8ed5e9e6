// The read side of ConsumerGroupManager: ConsumerGroupDescribe, the
// ConsumerGroupLookup answers for the classic coordinator, and loading the
// groups back from __consumer_offsets.
#include <limits>

#include "groups/consumer/consumer_group_manager.hpp"
#include "groups/consumer/group_errors.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups::consumer {
namespace {

using protocol::ErrorCode;

// Kafka's AclOperation ids that apply to a GROUP: READ, DELETE, DESCRIBE.
// With no authorizer every one of them is allowed.
constexpr std::int32_t kGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

}  // namespace

protocol::ConsumerGroupDescribeResponse::DescribedGroup ConsumerGroupManager::describe(
    const std::string& group_id, bool include_authorized_operations) const {
  using Described = protocol::ConsumerGroupDescribeResponse;
  Described::DescribedGroup out;
  out.group_id = group_id;
  if (group_id.empty()) {
    out.error_code = protocol::code(ErrorCode::invalid_group_id);
    out.error_message = "The group id can't be empty.";
    return out;
  }
  // Outside our lock, as in heartbeat().
  if (ErrorCode e = coordinator_check_ ? coordinator_check_(group_id) : ErrorCode::none; e != ErrorCode::none) {
    out.error_code = protocol::code(e);
    out.error_message = "This broker does not coordinate group " + group_id + ".";
    return out;
  }
  const bool classic = classic_group_check_ && classic_group_check_(group_id);
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group_id);
  if (it == groups_.end()) {
    out.error_code = protocol::code(ErrorCode::group_id_not_found);
    out.error_message = classic ? "Group " + group_id + " is not a consumer group."
                                : "Group " + group_id + " not found.";
    return out;
  }
  const ConsumerGroup& group = it->second;
  out.group_state = group.state();
  out.group_epoch = group.group_epoch;
  out.assignment_epoch = group.assignment_epoch;
  out.assignor_name = assignor_for(group.preferred_assignor()).name();
  out.authorized_operations =
      include_authorized_operations ? kGroupOperations : std::numeric_limits<std::int32_t>::min();

  std::map<protocol::Uuid, std::string, UuidLess> names;  // topic id -> name
  for (const auto& [name, topic] : group.subscription_metadata) names[topic.topic_id] = name;
  if (auto snapshot = metadata_()) {
    for (const auto& [name, topic] : snapshot->topics) {
      if (topic) names.emplace(topic->topic_id, name);
    }
  }
  auto assignment = [&](const PartitionSet& set) {
    Described::Assignment a;
    for (const auto& [topic, partitions] : set) {
      auto name = names.find(topic);
      if (name == names.end() || partitions.empty()) continue;  // deleted since
      Described::TopicPartitions tps;
      tps.topic_id = topic;
      tps.topic_name = name->second;
      tps.partitions.assign(partitions.begin(), partitions.end());
      a.topic_partitions.push_back(std::move(tps));
    }
    return a;
  };
  for (const auto& [id, member] : group.members()) {
    Described::Member m;
    m.member_id = id;
    m.instance_id = member.instance_id;
    m.rack_id = member.rack_id;
    m.member_epoch = member.member_epoch;
    m.client_id = member.client_id;
    m.client_host = member.client_host;
    m.subscribed_topic_names = member.subscribed_topic_names;
    m.subscribed_topic_regex = member.subscribed_topic_regex;
    m.assignment = assignment(member.assigned);
    m.target_assignment = assignment(group.target_of(id));
    out.members.push_back(std::move(m));
  }
  return out;
}

bool ConsumerGroupManager::is_consumer_group(const std::string& group_id) const {
  std::lock_guard lock(mutex_);
  return groups_.count(group_id) > 0;
}

protocol::ErrorCode ConsumerGroupManager::validate_offset_commit(const std::string& group_id,
                                                                 const std::string& member_id,
                                                                 std::int32_t member_epoch) const {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return ErrorCode::group_id_not_found;
  const ConsumerGroup& group = it->second;
  // Admin clients and consumers without group management commit with epoch
  // -1, allowed while nobody is in the group.
  if (member_epoch < 0 && group.members().empty()) return ErrorCode::none;
  const ConsumerGroupMember* member = group.member(member_id);
  if (!member) return ErrorCode::unknown_member_id;
  return member->member_epoch == member_epoch ? ErrorCode::none : kStaleMemberEpoch;
}

protocol::ErrorCode ConsumerGroupManager::validate_offset_fetch(const std::string& group_id,
                                                                const std::optional<std::string>& member_id,
                                                                std::int32_t member_epoch) const {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return ErrorCode::group_id_not_found;
  if (!member_id && member_epoch < 0) return ErrorCode::none;  // admin fetch
  const ConsumerGroupMember* member = member_id ? it->second.member(*member_id) : nullptr;
  if (!member) return ErrorCode::unknown_member_id;
  return member->member_epoch == member_epoch ? ErrorCode::none : kStaleMemberEpoch;
}

std::vector<ConsumerGroupLookup::GroupListing> ConsumerGroupManager::list_groups() const {
  std::lock_guard lock(mutex_);
  std::vector<GroupListing> out;
  for (const auto& [id, group] : groups_) out.push_back(GroupListing{id, group.state()});
  return out;
}

protocol::ErrorCode ConsumerGroupManager::delete_group(const std::string& group_id) {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return ErrorCode::group_id_not_found;
  if (!it->second.members().empty()) return ErrorCode::non_empty_group;
  std::optional<GroupImage> before = image_of(it->second);
  groups_.erase(it);
  journal(group_id, before, log_failure(group_id));  // tombstones
  return ErrorCode::none;
}

std::optional<std::set<std::string>> ConsumerGroupManager::subscribed_topics(const std::string& group_id) const {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return std::nullopt;
  return it->second.subscribed_topic_names();
}

protocol::ErrorCode ConsumerGroupManager::validate_classic_member(const std::string& group_id,
                                                                  const std::string& member_id,
                                                                  const std::optional<std::string>& instance_id) const {
  std::lock_guard lock(mutex_);
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return ErrorCode::group_id_not_found;
  if (instance_id) {
    const std::string* holder = it->second.static_member_id(*instance_id);
    // LeaveGroup may name a static member by instance id alone (empty member id).
    if (holder && !member_id.empty() && *holder != member_id) return ErrorCode::fenced_instance_id;
  }
  // Every member of the group uses the consumer protocol.
  return ErrorCode::unknown_member_id;
}

bool ConsumerGroupManager::replay_record(std::span<const std::uint8_t> key,
                                         std::optional<std::span<const std::uint8_t>> value) {
  std::lock_guard lock(mutex_);
  return replay_.apply(key, value);
}

void ConsumerGroupManager::replay_done() {
  auto snapshot = metadata_();
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  std::size_t loaded = 0;
  std::size_t members = 0;
  for (ConsumerGroup& group : replay_.take()) {
    // Sessions restart now; a member still revoking gets its rebalance
    // timeout again (Kafka's onLoaded).
    std::map<std::string, ConsumerGroupMember> restored = group.members();
    resolve_regexes(restored, snapshot);
    for (auto& [id, member] : restored) {
      member.session_deadline = now + std::chrono::milliseconds(settings_.session_timeout_ms);
      if (member.state == MemberState::unrevoked_partitions) {
        member.rebalance_deadline = now + std::chrono::milliseconds(member.rebalance_timeout_ms);
      }
      group.put_member(std::move(member));
    }
    ++loaded;
    members += group.members().size();
    std::string id = group.group_id();
    groups_.insert_or_assign(std::move(id), std::move(group));
  }
  if (loaded) {
    logging::get("groups")->info("loaded {} consumer group(s) (KIP-848) with {} member(s)", loaded, members);
  }
}

}  // namespace brokkr::groups::consumer
