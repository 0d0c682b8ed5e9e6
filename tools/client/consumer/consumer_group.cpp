// The group side of Consumer: subscriptions, following the GroupMember's
// assignment, and committing offsets (auto-commit, before revocation, on
// demand).
#include <algorithm>
#include <set>

#include "client_error.hpp"
#include "consumer/consumer.hpp"
#include "error_codes.hpp"
#include "group/group_member.hpp"

namespace brokkr::client {
namespace {

const char* kNoGroupId =
    "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.";

}  // namespace

void Consumer::ensure_member() {
  if (!config_.group_id) throw ClientError(kNoGroupId);
  if (!subscribed_topics_ && !subscribed_pattern_ && !partitions_.empty()) {
    throw ClientError("Subscription to topics, partitions and pattern are mutually exclusive");
  }
  if (member_) return;
  member_ = make_group_member(*cluster_, properties_);
  member_->on_revoked([this](const std::vector<TopicPartition>& partitions) { handle_revoked(partitions); });
  member_->on_assigned([this](const std::vector<TopicPartition>& partitions) { handle_assigned(partitions); });
  next_auto_commit_ = std::chrono::steady_clock::now() + config_.auto_commit_interval;
}

void Consumer::subscribe(const std::vector<std::string>& topics) {
  ensure_member();
  subscribed_pattern_.reset();
  subscribed_topics_ = topics;
  std::sort(subscribed_topics_->begin(), subscribed_topics_->end());
  refresh_metadata();  // creates the topics when the broker auto-creates them
  member_->subscribe(*subscribed_topics_);
}

void Consumer::subscribe(const std::regex& pattern) {
  ensure_member();
  subscribed_pattern_ = pattern;
  subscribed_topics_.reset();
  refresh_pattern_subscription(true);
}

void Consumer::refresh_pattern_subscription(bool force) {
  if (!subscribed_pattern_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - pattern_checked_ < config_.metadata_max_age) return;
  pattern_checked_ = now;
  const auto& metadata = cluster_->refresh_metadata(std::nullopt);
  std::vector<std::string> matching;
  for (const auto& [name, topic] : metadata.topics) {
    if (topic.internal && config_.exclude_internal_topics) continue;
    if (std::regex_match(name, *subscribed_pattern_)) matching.push_back(name);
  }
  if (!force && pattern_topics_ == matching) return;
  pattern_topics_ = matching;
  member_->subscribe(matching);
}

void Consumer::poll_group(std::chrono::milliseconds max_wait) {
  refresh_pattern_subscription(false);
  member_->poll(max_wait);
  reconcile_assignment();
}

void Consumer::reconcile_assignment() {
  const auto& owned = member_->assignment();
  std::set<TopicPartition> wanted(owned.begin(), owned.end());
  std::vector<TopicPartition> lost;
  for (const auto& [tp, state] : partitions_) {
    if (wanted.count(tp) == 0) lost.push_back(tp);
  }
  remove_partitions(lost);  // gone without a revocation: nothing to commit, as Kafka's onPartitionsLost
  std::vector<TopicPartition> added;
  for (const auto& tp : owned) {
    if (partitions_.count(tp) == 0) added.push_back(tp);
  }
  if (!added.empty()) handle_assigned(added);
}

void Consumer::handle_revoked(const std::vector<TopicPartition>& partitions) {
  if (config_.enable_auto_commit) {
    std::map<TopicPartition, CommittedOffset> offsets;
    for (const auto& tp : partitions) {
      auto it = partitions_.find(tp);
      if (it != partitions_.end() && it->second.position) offsets[tp] = CommittedOffset{*it->second.position, -1, ""};
    }
    try {
      if (!offsets.empty()) commit_sync(offsets);
    } catch (const ClientError& e) {
      if (on_warning_) on_warning_(std::string("Offset commit before revocation failed: ") + e.what());
    }
  }
  if (on_revoked_) on_revoked_(partitions);
  remove_partitions(partitions);
}

void Consumer::handle_assigned(const std::vector<TopicPartition>& partitions) {
  add_partitions(partitions, true);
  refresh_metadata();
  if (on_assigned_) on_assigned_(partitions);
}

std::map<TopicPartition, CommittedOffset> Consumer::consumed_offsets() const {
  std::map<TopicPartition, CommittedOffset> out;
  for (const auto& [tp, state] : partitions_) {
    if (state.position) out[tp] = CommittedOffset{*state.position, -1, ""};
  }
  return out;
}

CommitIdentity Consumer::commit_identity() const {
  if (member_) return member_->identity();
  return CommitIdentity{};  // generation -1: a consumer with assign() commits outside group management
}

void Consumer::maybe_auto_commit() {
  if (!config_.enable_auto_commit) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_auto_commit_) return;
  next_auto_commit_ = now + config_.auto_commit_interval;
  try {
    commit_sync();
  } catch (const KafkaError& e) {
    // Kafka logs a failed auto-commit and retries at the next interval.
    if (on_warning_) on_warning_(std::string("Asynchronous auto-commit of offsets failed: ") + e.what());
  }
}

void Consumer::commit_sync() {
  auto offsets = consumed_offsets();
  if (!offsets.empty()) commit_sync(offsets);
}

void Consumer::commit_sync(const std::map<TopicPartition, CommittedOffset>& offsets) {
  if (!config_.group_id) throw ClientError(kNoGroupId);
  commit_offsets(*cluster_, *config_.group_id, offsets, commit_identity());
}

}  // namespace brokkr::client
