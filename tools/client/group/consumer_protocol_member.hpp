// A member of a KIP-848 consumer group: one ConsumerGroupHeartbeat request
// does it all. The broker computes the assignment (with its assignor
// plugins); the member gives up what it lost, takes what it gained, and
// acknowledges by reporting what it owns in its next heartbeat.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "group/group_member.hpp"
#include "group/group_settings.hpp"

namespace brokkr::client {

class ConsumerProtocolMember : public GroupMember {
 public:
  ConsumerProtocolMember(Cluster& cluster, GroupSettings settings);

  void subscribe(const std::vector<std::string>& topics) override;
  void poll(std::chrono::milliseconds max_wait) override;
  const std::vector<TopicPartition>& assignment() const override { return owned_; }
  CommitIdentity identity() const override;
  void close() override;

 private:
  void heartbeat();
  void reconcile(std::vector<TopicPartition> target);
  void handle_error(std::int16_t code, const std::string& message);

  Cluster& cluster_;
  GroupSettings settings_;
  std::vector<std::string> topics_;
  std::string member_id_;
  std::int32_t member_epoch_ = 0;
  std::vector<TopicPartition> owned_;
  // Send the full member state (subscription, owned partitions) next time:
  // on joining and after the assignment changed.
  bool send_full_state_ = true;
  std::chrono::milliseconds interval_{0};
  std::chrono::steady_clock::time_point next_heartbeat_{};
};

}  // namespace brokkr::client
