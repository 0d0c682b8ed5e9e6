#include "group/classic_member.hpp"

#include <thread>

#include "client_error.hpp"
#include "group/classic_assignment.hpp"
#include "protocol/generated/heartbeat_request.hpp"
#include "protocol/generated/heartbeat_response.hpp"
#include "protocol/generated/join_group_request.hpp"
#include "protocol/generated/join_group_response.hpp"
#include "protocol/generated/leave_group_request.hpp"
#include "protocol/generated/leave_group_response.hpp"
#include "protocol/generated/sync_group_request.hpp"
#include "protocol/generated/sync_group_response.hpp"

namespace brokkr::client {
namespace {

constexpr std::int16_t kIllegalGeneration = 22;
constexpr std::int16_t kUnknownMemberId = 25;
constexpr std::int16_t kRebalanceInProgress = 27;
constexpr std::int16_t kMemberIdRequired = 79;
constexpr std::chrono::milliseconds kRetryBackoff{100};
// Join and Sync wait for the whole rebalance; give the broker this on top.
constexpr std::chrono::milliseconds kRebalanceMargin{5000};

bool is_coordinator_error(std::int16_t code) { return code == 14 || code == 15 || code == 16; }

}  // namespace

ClassicMember::ClassicMember(Cluster& cluster, GroupSettings settings)
    : cluster_(cluster), settings_(std::move(settings)) {}

void ClassicMember::subscribe(const std::vector<std::string>& topics) {
  topics_ = topics;
  needs_join_ = true;
}

CommitIdentity ClassicMember::identity() const {
  return CommitIdentity{generation_, member_id_, settings_.instance_id};
}

void ClassicMember::poll(std::chrono::milliseconds max_wait) {
  if (needs_join_) {
    rejoin();
    return;
  }
  auto now = std::chrono::steady_clock::now();
  if (now < next_heartbeat_) {
    std::this_thread::sleep_for(std::min(max_wait, std::chrono::duration_cast<std::chrono::milliseconds>(next_heartbeat_ - now)));
    return;
  }
  heartbeat();
  if (needs_join_) rejoin();
}

void ClassicMember::revoke_all() {
  if (!assignment_.empty() && on_revoked_) on_revoked_(assignment_);
  assignment_.clear();
}

void ClassicMember::rejoin() {
  revoke_all();
  const auto deadline = std::chrono::steady_clock::now() + settings_.rebalance_timeout + kRebalanceMargin;
  while (!join_and_sync()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw ClientError("could not join group " + settings_.group_id + " within max.poll.interval.ms");
    }
    std::this_thread::sleep_for(kRetryBackoff);
  }
  needs_join_ = false;
  next_heartbeat_ = std::chrono::steady_clock::now() + settings_.heartbeat_interval;
  if (on_assigned_) on_assigned_(assignment_);
}

void ClassicMember::handle_error(std::int16_t code, const char* request) {
  if (is_coordinator_error(code)) {
    cluster_.forget_coordinator(settings_.group_id);
    needs_join_ = true;
    return;
  }
  if (code == kUnknownMemberId || code == kIllegalGeneration) {
    // Our membership is gone (session expired, group reset): start over.
    if (code == kUnknownMemberId) member_id_.clear();
    generation_ = -1;
    needs_join_ = true;
    return;
  }
  if (code == kRebalanceInProgress) {
    needs_join_ = true;
    return;
  }
  throw_if_error(code, std::string(request) + " of group " + settings_.group_id);
}

bool ClassicMember::join_and_sync() {
  BrokerConnection* coordinator = nullptr;
  try {
    coordinator = &cluster_.coordinator(settings_.group_id);
  } catch (const NetworkError&) {
    cluster_.forget_coordinator(settings_.group_id);
    return false;
  } catch (const KafkaError& e) {
    if (!is_coordinator_error(e.code())) throw;
    return false;
  }

  protocol::JoinGroupRequest join;
  join.group_id = settings_.group_id;
  join.session_timeout_ms = static_cast<std::int32_t>(settings_.session_timeout.count());
  join.rebalance_timeout_ms = static_cast<std::int32_t>(settings_.rebalance_timeout.count());
  join.member_id = member_id_;
  join.group_instance_id = settings_.instance_id;
  join.protocol_type = "consumer";
  for (const auto& name : settings_.assignors) {
    auto& p = join.protocols.emplace_back();
    p.name = name;
    p.metadata = encode_subscription(Subscription{topics_, {}, settings_.rack});
  }
  const auto wait = settings_.rebalance_timeout + kRebalanceMargin;
  protocol::JoinGroupResponse joined;
  try {
    joined = coordinator->call<protocol::JoinGroupResponse>(join, -1, wait);
  } catch (const NetworkError&) {
    cluster_.forget_coordinator(settings_.group_id);
    return false;
  }
  if (joined.error_code == kMemberIdRequired) {  // KIP-394: join again with the id we were given
    member_id_ = joined.member_id;
    return false;
  }
  if (joined.error_code != 0) {
    handle_error(joined.error_code, "JoinGroup");
    return false;
  }
  member_id_ = joined.member_id;
  generation_ = joined.generation_id;
  protocol_ = joined.protocol_name.value_or("");

  protocol::SyncGroupRequest sync;
  sync.group_id = settings_.group_id;
  sync.generation_id = generation_;
  sync.member_id = member_id_;
  sync.group_instance_id = settings_.instance_id;
  sync.protocol_type = "consumer";
  sync.protocol_name = protocol_;
  if (joined.leader == member_id_ && !joined.skip_assignment) {
    std::vector<JoinedMember> members;
    for (const auto& m : joined.members) members.push_back(JoinedMember{m.member_id, m.group_instance_id, m.metadata});
    for (auto& [member, bytes] : compute_assignments(cluster_, protocol_, members)) {
      auto& a = sync.assignments.emplace_back();
      a.member_id = member;
      a.assignment = std::move(bytes);
    }
  }
  protocol::SyncGroupResponse synced;
  try {
    synced = coordinator->call<protocol::SyncGroupResponse>(sync, -1, wait);
  } catch (const NetworkError&) {
    cluster_.forget_coordinator(settings_.group_id);
    return false;
  }
  if (synced.error_code != 0) {
    handle_error(synced.error_code, "SyncGroup");
    return false;
  }
  assignment_ = decode_assignment(synced.assignment);
  return true;
}

void ClassicMember::heartbeat() {
  protocol::HeartbeatRequest request;
  request.group_id = settings_.group_id;
  request.generation_id = generation_;
  request.member_id = member_id_;
  request.group_instance_id = settings_.instance_id;
  next_heartbeat_ = std::chrono::steady_clock::now() + settings_.heartbeat_interval;
  try {
    auto response = cluster_.coordinator(settings_.group_id).call<protocol::HeartbeatResponse>(request);
    if (response.error_code != 0) handle_error(response.error_code, "Heartbeat");
  } catch (const NetworkError&) {
    // The coordinator may have moved; find it again on the next heartbeat.
    cluster_.forget_coordinator(settings_.group_id);
    next_heartbeat_ = std::chrono::steady_clock::now() + kRetryBackoff;
  }
}

void ClassicMember::close() {
  revoke_all();
  // Static members keep their place across restarts: they do not leave.
  if (member_id_.empty() || settings_.instance_id) return;
  try {
    auto& coordinator = cluster_.coordinator(settings_.group_id);
    protocol::LeaveGroupRequest request;
    request.group_id = settings_.group_id;
    const auto version = coordinator.version_for<protocol::LeaveGroupRequest>();
    if (version >= 3) {
      auto& m = request.members.emplace_back();
      m.member_id = member_id_;
      m.reason = "the consumer is being closed";
    } else {
      request.member_id = member_id_;
    }
    coordinator.call<protocol::LeaveGroupResponse>(request, version);
  } catch (const ClientError&) {
    // Leaving is a courtesy: the session timeout removes the member anyway.
  }
  member_id_.clear();
  generation_ = -1;
}

}  // namespace brokkr::client
