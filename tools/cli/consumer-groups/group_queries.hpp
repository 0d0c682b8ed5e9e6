// The admin requests brokkr-consumer-groups makes, as Kafka's Admin client
// makes them for kafka-consumer-groups.sh: ListGroups to every broker,
// DescribeGroups (ConsumerGroupDescribe for KIP-848 groups), DeleteGroups and
// OffsetDelete at the group's coordinator.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/cluster.hpp"
#include "client/topic_partition.hpp"

namespace brokkr::cli::groups {

struct GroupListing {
  std::string group_id;
  std::string state;  // Kafka's spelling: "Stable", "Empty", ...
  std::string type;   // "Classic" or "Consumer"
};

// Consumer groups (protocol type "consumer" or empty) of every broker,
// sorted by id. `states`/`types`: filters as Kafka's names (empty = all).
std::vector<GroupListing> list_consumer_groups(client::Cluster& cluster, const std::vector<std::string>& states,
                                               const std::vector<std::string>& types);

struct MemberDescription {
  std::string member_id;
  std::optional<std::string> instance_id;
  std::string client_id;
  std::string host;
  std::vector<client::TopicPartition> assignment;  // sorted
};

struct GroupDescription {
  std::string group_id;
  std::string state;     // "Dead" for a group the coordinator does not know
  std::string assignor;  // the classic protocol name or the KIP-848 assignor
  client::BrokerAddress coordinator;
  std::vector<MemberDescription> members;  // in the broker's order
};

GroupDescription describe_group(client::Cluster& cluster, const std::string& group);

// DeleteGroups: the error code of each group (0 = deleted).
std::map<std::string, std::int16_t> delete_groups(client::Cluster& cluster, const std::vector<std::string>& groups);

struct OffsetDeleteResult {
  std::int16_t error = 0;                                       // top level
  std::map<client::TopicPartition, std::int16_t> partitions;  // per partition
};
OffsetDeleteResult delete_offsets(client::Cluster& cluster, const std::string& group,
                                  const std::vector<client::TopicPartition>& partitions);

// Every partition of `topic`; throws KafkaError when the cluster lacks it.
std::vector<client::TopicPartition> partitions_of(client::Cluster& cluster, const std::string& topic);

// "stable" -> "Stable"; nullopt for a name that is no consumer group state.
std::optional<std::string> canonical_state(const std::string& name);
// Kafka's valid state names, in its order (for error messages).
const std::vector<std::string>& group_state_names();
// "classic" -> "Classic" ("Consumer", "Share"); nullopt for others.
std::optional<std::string> canonical_type(const std::string& name);

// "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not
// empty." as Java's exception toString prints a broker error.
std::string java_exception_text(std::int16_t code);

}  // namespace brokkr::cli::groups
