// The lines of `brokkr-topics --describe`, in Kafka 3.7's layout
// (TopicCommand.TopicDescription / PartitionDescription.printDescription):
//
//   Topic: t\tTopicId: <base64url>\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: k=v,k=v
//   \tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1
//
// Kafka 3.8+ adds Elr/LastKnownElr fields; 3.7 has none, and neither do we.
#pragma once

#include <string>
#include <vector>

#include "admin/admin_types.hpp"
#include "admin/config_types.hpp"

namespace brokkr::cli::topics {

std::string topic_line(const client::admin::TopicDescription& topic, int replication_factor,
                       const std::vector<client::admin::ConfigEntry>& configs);
std::string partition_line(const std::string& topic, const client::admin::PartitionInfo& partition);

}  // namespace brokkr::cli::topics
