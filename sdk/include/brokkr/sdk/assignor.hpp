// Partition assignors for consumer groups: the broker runs them for KIP-848
// groups, and the project's own client runs them for classic groups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::sdk {

struct TopicPartitions {
  std::string topic;
  std::vector<std::int32_t> partitions;
  bool operator==(const TopicPartitions&) const = default;
};

struct AssignorMember {
  std::string member_id;
  std::optional<std::string> instance_id;  // static membership
  std::optional<std::string> rack;
  std::vector<std::string> subscribed_topics;
  std::vector<TopicPartitions> owned;      // current assignment, for sticky assignors
  std::vector<std::uint8_t> user_data;
};

struct AssignorTopic {
  std::string name;
  std::int32_t partition_count = 0;
  // Racks holding replicas of each partition (may be empty when unknown).
  std::vector<std::vector<std::string>> partition_racks;
};

struct AssignmentInput {
  std::vector<AssignorMember> members;  // sorted by member id
  std::vector<AssignorTopic> topics;    // every topic some member subscribes to
};

// member id -> its partitions. Every member appears, possibly with none.
using Assignment = std::map<std::string, std::vector<TopicPartitions>>;

class Assignor {
 public:
  virtual ~Assignor() = default;
  // The protocol name clients and configs use ("range", "roundrobin", "uniform", ...).
  virtual std::string name() const = 0;
  virtual Assignment assign(const AssignmentInput& input) = 0;
};

}  // namespace brokkr::sdk
