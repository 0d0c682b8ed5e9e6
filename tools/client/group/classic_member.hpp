// A member of a classic group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup),
// with the eager rebalance protocol: before rejoining it gives up all its
// partitions. When the coordinator makes it the leader it computes the
// assignment with the assignor plugin the group agreed on.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "group/group_member.hpp"
#include "group/group_settings.hpp"

namespace brokkr::client {

class ClassicMember : public GroupMember {
 public:
  ClassicMember(Cluster& cluster, GroupSettings settings);

  void subscribe(const std::vector<std::string>& topics) override;
  void poll(std::chrono::milliseconds max_wait) override;
  const std::vector<TopicPartition>& assignment() const override { return assignment_; }
  CommitIdentity identity() const override;
  void close() override;

 private:
  // Join + sync until the member has an assignment of the current generation.
  void rejoin();
  // One JoinGroup/SyncGroup round; false when it must be retried.
  bool join_and_sync();
  void heartbeat();
  void revoke_all();
  // Handles an error of Join/Sync/Heartbeat: resets state as Kafka's client
  // does; throws for fatal ones (fenced instance id, bad config).
  void handle_error(std::int16_t code, const char* request);

  Cluster& cluster_;
  GroupSettings settings_;
  std::vector<std::string> topics_;
  std::string member_id_;
  std::int32_t generation_ = -1;
  std::string protocol_;
  std::vector<TopicPartition> assignment_;
  bool needs_join_ = true;
  std::chrono::steady_clock::time_point next_heartbeat_{};
};

}  // namespace brokkr::client
