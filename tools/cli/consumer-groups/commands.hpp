// The actions of brokkr-consumer-groups, one per Kafka action flag. Each
// prints Kafka's output and returns the exit code (1 when a group failed).
#pragma once

#include <string>
#include <vector>

#include "client/cluster.hpp"
#include "common/command_line.hpp"
#include "group_queries.hpp"

namespace brokkr::cli::groups {

int list_command(const CommandLine& command_line, client::Cluster& cluster);
int describe_command(const CommandLine& command_line, client::Cluster& cluster);
int delete_command(const CommandLine& command_line, client::Cluster& cluster);
int reset_offsets_command(const CommandLine& command_line, client::Cluster& cluster);
int delete_offsets_command(const CommandLine& command_line, client::Cluster& cluster);

// The groups an action applies to: the --group values, or every consumer
// group with --all-groups; sorted and without duplicates.
std::vector<std::string> selected_groups(const CommandLine& command_line, client::Cluster& cluster);

// Prints Kafka's notes on a described group's state to stderr ("has no
// active members", "is rebalancing", "does not exist"). Returns whether its
// table is to be printed (`rows` > 0 and the group exists); sets `failed`
// for a group that does not exist.
bool report_group_state(const GroupDescription& group, std::size_t rows, bool& failed);

// Partitions named by --topic values: "t" (every partition) or "t:0,1,2".
// Throws UsageError for a malformed one, KafkaError for an unknown topic.
std::vector<client::TopicPartition> topic_arguments(const std::vector<std::string>& arguments,
                                                    client::Cluster& cluster);

}  // namespace brokkr::cli::groups
