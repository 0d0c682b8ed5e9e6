// One KIP-848 consumer group in memory: its members, the group epoch, the
// target assignment and its epoch, and which member currently owns each
// partition (assigned, or still to be revoked) at which member epoch.
//
// Not thread-safe: ConsumerGroupManager serializes access.
// Durable: ConsumerGroupManager writes every change to __consumer_offsets as
// Kafka's records (consumer_group_records.hpp, consumer_group_journal.hpp)
// and rebuilds the groups from them at start.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "groups/consumer/partition_set.hpp"

namespace brokkr::groups::consumer {

using Clock = std::chrono::steady_clock;

// Kafka's MemberState: where a member stands in its reconciliation.
enum class MemberState {
  stable,                 // has everything of the target it may have
  unrevoked_partitions,   // must give up partitions first (epoch held back)
  unreleased_partitions,  // waits for partitions other members still own
};

struct ConsumerGroupMember {
  std::string member_id;
  std::optional<std::string> instance_id;  // static membership
  std::optional<std::string> rack_id;
  std::string client_id;
  std::string client_host;
  std::int32_t rebalance_timeout_ms = 0;
  std::vector<std::string> subscribed_topic_names;  // sorted, no duplicates
  std::optional<std::string> subscribed_topic_regex;  // full match, ECMAScript syntax
  // The topics the regex matches now (sorted): derived from the metadata,
  // not persisted.
  std::vector<std::string> regex_topics;
  std::optional<std::string> server_assignor;
  std::int32_t member_epoch = 0;
  std::int32_t previous_member_epoch = 0;
  MemberState state = MemberState::stable;
  PartitionSet assigned;            // what the member may consume now
  PartitionSet pending_revocation;  // what it must give up before it moves on
  Clock::time_point session_deadline{};
  std::optional<Clock::time_point> rebalance_deadline;  // while revoking

  // The names and the regex's matches: what the member subscribes to (sorted).
  std::vector<std::string> subscribed_topics() const;

  bool reconciled_to(std::int32_t target_epoch) const {
    return state == MemberState::stable && member_epoch == target_epoch;
  }
};

// Topic facts a target assignment was computed from; a change (partitions
// added, topic created or deleted, replicas' racks) bumps the group epoch.
struct SubscribedTopic {
  protocol::Uuid topic_id;
  std::int32_t partitions = 0;
  std::vector<std::vector<std::string>> partition_racks;
  bool operator==(const SubscribedTopic&) const = default;
};
using SubscriptionMetadata = std::map<std::string, SubscribedTopic>;  // by topic name

// The assignor most members ask for (ties: the smallest name), or nullopt.
std::optional<std::string> preferred_assignor(const std::map<std::string, ConsumerGroupMember>& members);

class ConsumerGroup {
 public:
  explicit ConsumerGroup(std::string group_id) : group_id_(std::move(group_id)) {}

  const std::string& group_id() const { return group_id_; }

  std::int32_t group_epoch = 0;
  std::int32_t assignment_epoch = 0;
  SubscriptionMetadata subscription_metadata;

  const std::map<std::string, ConsumerGroupMember>& members() const { return members_; }
  const ConsumerGroupMember* member(const std::string& member_id) const;
  // The member id holding a static instance id, or nullptr.
  const std::string* static_member_id(const std::string& instance_id) const;

  // Adds or replaces a member, keeping the ownership index in step.
  void put_member(ConsumerGroupMember member);
  // Removes a member and its target assignment; its partitions become free.
  void remove_member(const std::string& member_id);

  // The epoch of the member that owns the partition (assigned or pending
  // revocation), or -1 when nobody does.
  std::int32_t partition_epoch(const protocol::Uuid& topic, std::int32_t partition) const;

  const PartitionSet& target_of(const std::string& member_id) const;
  const std::map<std::string, PartitionSet>& targets() const { return targets_; }
  void set_targets(std::map<std::string, PartitionSet> targets, std::int32_t epoch);
  // Hands a leaving static member's target to the member replacing it.
  void move_target(const std::string& from, const std::string& to);

  // Every topic name some member subscribes to.
  std::set<std::string> subscribed_topic_names() const;
  std::optional<std::string> preferred_assignor() const { return consumer::preferred_assignor(members_); }
  // Kafka's names: "Empty", "Assigning", "Reconciling", "Stable".
  std::string state() const;

 private:
  void index(const ConsumerGroupMember& member);
  void unindex(const ConsumerGroupMember& member);

  std::string group_id_;
  std::map<std::string, ConsumerGroupMember> members_;
  std::map<std::string, std::string> static_members_;  // instance id -> member id
  std::map<std::string, PartitionSet> targets_;         // member id -> target
  struct Owner {
    std::string member_id;
    std::int32_t epoch = 0;
  };
  std::map<protocol::Uuid, std::map<std::int32_t, Owner>, UuidLess> partition_epochs_;
};

}  // namespace brokkr::groups::consumer
