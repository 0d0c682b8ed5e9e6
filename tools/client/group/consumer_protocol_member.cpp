#include "group/consumer_protocol_member.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include "client_error.hpp"
#include "protocol/generated/consumer_group_heartbeat_request.hpp"
#include "protocol/generated/consumer_group_heartbeat_response.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::client {
namespace {

constexpr std::int16_t kUnknownMemberId = 25;
constexpr std::int16_t kFencedMemberEpoch = 110;
constexpr std::int32_t kLeaveEpoch = -1;
constexpr std::int32_t kStaticLeaveEpoch = -2;
constexpr std::chrono::milliseconds kRetryBackoff{100};

bool is_coordinator_error(std::int16_t code) { return code == 14 || code == 15 || code == 16; }

}  // namespace

ConsumerProtocolMember::ConsumerProtocolMember(Cluster& cluster, GroupSettings settings)
    : cluster_(cluster),
      settings_(std::move(settings)),
      // Since ConsumerGroupHeartbeat v1 the member makes up its own id.
      member_id_(protocol::Uuid::random().to_base64()) {}

void ConsumerProtocolMember::subscribe(const std::vector<std::string>& topics) {
  topics_ = topics;
  send_full_state_ = true;
  next_heartbeat_ = {};
}

CommitIdentity ConsumerProtocolMember::identity() const {
  return CommitIdentity{member_epoch_, member_id_, settings_.instance_id};
}

void ConsumerProtocolMember::poll(std::chrono::milliseconds max_wait) {
  auto now = std::chrono::steady_clock::now();
  if (now < next_heartbeat_) {
    std::this_thread::sleep_for(std::min(max_wait, std::chrono::duration_cast<std::chrono::milliseconds>(next_heartbeat_ - now)));
    return;
  }
  heartbeat();
}

void ConsumerProtocolMember::heartbeat() {
  protocol::ConsumerGroupHeartbeatRequest request;
  request.group_id = settings_.group_id;
  request.member_id = member_id_;
  request.member_epoch = member_epoch_;
  if (send_full_state_) {
    request.instance_id = settings_.instance_id;
    request.rack_id = settings_.rack;
    request.rebalance_timeout_ms = static_cast<std::int32_t>(settings_.rebalance_timeout.count());
    request.subscribed_topic_names = topics_;
    request.server_assignor = settings_.remote_assignor;
    request.topic_partitions.emplace();
    std::map<std::string, std::vector<std::int32_t>> by_topic;
    for (const auto& tp : owned_) by_topic[tp.topic].push_back(tp.partition);
    for (auto& [topic, partitions] : by_topic) {
      const auto* metadata = cluster_.topic(topic);
      if (metadata == nullptr) continue;
      auto& t = request.topic_partitions->emplace_back();
      t.topic_id = metadata->id;
      t.partitions = std::move(partitions);
    }
  }
  next_heartbeat_ = std::chrono::steady_clock::now() + (interval_.count() > 0 ? interval_ : settings_.heartbeat_interval);
  protocol::ConsumerGroupHeartbeatResponse response;
  try {
    response = cluster_.coordinator(settings_.group_id).call<protocol::ConsumerGroupHeartbeatResponse>(request);
  } catch (const NetworkError&) {
    cluster_.forget_coordinator(settings_.group_id);
    next_heartbeat_ = std::chrono::steady_clock::now() + kRetryBackoff;
    return;
  } catch (const KafkaError& e) {
    if (!is_coordinator_error(e.code())) throw;
    next_heartbeat_ = std::chrono::steady_clock::now() + kRetryBackoff;
    return;
  }
  if (response.error_code != 0) {
    handle_error(response.error_code, response.error_message.value_or(""));
    return;
  }
  send_full_state_ = false;
  if (response.member_id) member_id_ = *response.member_id;
  member_epoch_ = response.member_epoch;
  interval_ = std::chrono::milliseconds(response.heartbeat_interval_ms);
  if (!response.assignment) return;  // unchanged

  // Topic ids -> names, refreshing metadata for ids we have not seen yet.
  std::vector<TopicPartition> target;
  for (int attempt = 0; attempt < 2; ++attempt) {
    target.clear();
    bool unknown = false;
    for (const auto& t : response.assignment->topic_partitions) {
      const TopicMetadata* found = nullptr;
      for (const auto& [name, topic] : cluster_.metadata().topics) {
        if (topic.id == t.topic_id) found = &topic;
      }
      if (found == nullptr) {
        unknown = true;
        continue;
      }
      for (auto p : t.partitions) target.push_back(TopicPartition{found->name, p});
    }
    if (!unknown) break;
    cluster_.refresh_metadata(std::nullopt);
  }
  std::sort(target.begin(), target.end());
  reconcile(std::move(target));
}

void ConsumerProtocolMember::reconcile(std::vector<TopicPartition> target) {
  std::vector<TopicPartition> revoked, added;
  std::set_difference(owned_.begin(), owned_.end(), target.begin(), target.end(), std::back_inserter(revoked));
  std::set_difference(target.begin(), target.end(), owned_.begin(), owned_.end(), std::back_inserter(added));
  if (revoked.empty() && added.empty()) return;
  if (!revoked.empty() && on_revoked_) on_revoked_(revoked);
  owned_ = std::move(target);
  if (!added.empty() && on_assigned_) on_assigned_(added);
  // Acknowledge at once: the broker moves partitions on only after that.
  send_full_state_ = true;
  next_heartbeat_ = {};
}

void ConsumerProtocolMember::handle_error(std::int16_t code, const std::string& message) {
  if (is_coordinator_error(code)) {
    cluster_.forget_coordinator(settings_.group_id);
    next_heartbeat_ = std::chrono::steady_clock::now() + kRetryBackoff;
    return;
  }
  if (code == kFencedMemberEpoch || code == kUnknownMemberId) {
    // Fenced: the partitions are already someone else's; rejoin at epoch 0.
    if (!owned_.empty() && on_revoked_) on_revoked_(owned_);
    owned_.clear();
    member_epoch_ = 0;
    send_full_state_ = true;
    next_heartbeat_ = {};
    return;
  }
  throw_if_error(code, "ConsumerGroupHeartbeat of group " + settings_.group_id, message);
}

void ConsumerProtocolMember::close() {
  if (!owned_.empty() && on_revoked_) on_revoked_(owned_);
  owned_.clear();
  if (member_epoch_ <= 0) return;
  protocol::ConsumerGroupHeartbeatRequest request;
  request.group_id = settings_.group_id;
  request.member_id = member_id_;
  request.instance_id = settings_.instance_id;
  request.member_epoch = settings_.instance_id ? kStaticLeaveEpoch : kLeaveEpoch;
  try {
    cluster_.coordinator(settings_.group_id).call<protocol::ConsumerGroupHeartbeatResponse>(request);
  } catch (const ClientError&) {
    // The session timeout removes the member anyway.
  }
  member_epoch_ = 0;
}

}  // namespace brokkr::client
