// The consumer's embedded protocol of classic groups: what a member tells the
// group (ConsumerProtocolSubscription in JoinGroup metadata), what the leader
// hands out (ConsumerProtocolAssignment in SyncGroup), and the leader's
// computation with an assignor plugin.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster.hpp"
#include "topic_partition.hpp"

namespace brokkr::client {

struct Subscription {
  std::vector<std::string> topics;
  std::vector<TopicPartition> owned;
  std::optional<std::string> rack;
};

std::vector<std::uint8_t> encode_subscription(const Subscription& subscription);
// Throws ClientError for bytes that are not a subscription.
Subscription decode_subscription(const std::vector<std::uint8_t>& bytes);

std::vector<std::uint8_t> encode_assignment(const std::vector<TopicPartition>& partitions);
std::vector<TopicPartition> decode_assignment(const std::vector<std::uint8_t>& bytes);

struct JoinedMember {
  std::string member_id;
  std::optional<std::string> instance_id;
  std::vector<std::uint8_t> metadata;  // its encoded Subscription
};

// The leader's job: runs the assignor plugin named `protocol` over the
// members' subscriptions and the topics' partition counts (from metadata);
// returns each member's encoded assignment. Throws ClientError when no
// plugin implements `protocol`.
std::map<std::string, std::vector<std::uint8_t>> compute_assignments(Cluster& cluster, const std::string& protocol,
                                                                     const std::vector<JoinedMember>& members);

}  // namespace brokkr::client
