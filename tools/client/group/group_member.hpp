// Membership of a consumer group, as a consumer sees it: join, get an
// assignment, keep it alive with heartbeats, follow rebalances, leave.
// Two protocols behind one interface:
//   group.protocol=classic  JoinGroup/SyncGroup/Heartbeat/LeaveGroup; the
//                           leader computes the assignment with an assignor
//                           plugin (partition.assignment.strategy)
//   group.protocol=consumer KIP-848 ConsumerGroupHeartbeat; the broker
//                           assigns (group.remote.assignor)
// Single-threaded: the owning consumer calls poll() from its loop, at least
// every heartbeat interval.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster.hpp"
#include "offsets.hpp"
#include "properties.hpp"
#include "topic_partition.hpp"

namespace brokkr::client {

class GroupMember {
 public:
  // Called with the partitions the member is about to give up (commit their
  // positions here) and with the partitions it was given.
  using PartitionsCallback = std::function<void(const std::vector<TopicPartition>&)>;

  virtual ~GroupMember() = default;

  virtual void subscribe(const std::vector<std::string>& topics) = 0;
  void on_revoked(PartitionsCallback callback) { on_revoked_ = std::move(callback); }
  void on_assigned(PartitionsCallback callback) { on_assigned_ = std::move(callback); }

  // Joins or rejoins when needed, sends a heartbeat when one is due and
  // applies a new assignment (callbacks run inside). Returns within about
  // `max_wait` (a rebalance may take longer, up to the rebalance timeout).
  virtual void poll(std::chrono::milliseconds max_wait) = 0;

  // The partitions this member owns now (sorted).
  virtual const std::vector<TopicPartition>& assignment() const = 0;
  // The generation (classic) or member epoch (consumer) and member id to
  // commit offsets with.
  virtual CommitIdentity identity() const = 0;
  // Leaves the group (LeaveGroup, or a heartbeat with epoch -1); static
  // members (group.instance.id) do not leave, as in Kafka.
  virtual void close() = 0;

 protected:
  PartitionsCallback on_revoked_;
  PartitionsCallback on_assigned_;
};

// Reads group.id (required), group.protocol (classic|consumer, default
// classic), group.instance.id, session.timeout.ms, heartbeat.interval.ms,
// max.poll.interval.ms, partition.assignment.strategy, group.remote.assignor,
// client.rack. Throws ClientError naming a bad property.
std::unique_ptr<GroupMember> make_group_member(Cluster& cluster, const Properties& properties);

}  // namespace brokkr::client
