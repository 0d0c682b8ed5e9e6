// The new offsets --reset-offsets computes for one group, for each of
// Kafka's scenarios (--to-earliest, --to-latest, --to-current, --to-offset,
// --shift-by, --to-datetime, --by-duration, --from-file), clamped to the
// partitions' [earliest, latest] where Kafka clamps.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "client/cluster.hpp"
#include "client/topic_partition.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli::groups {

using OffsetPlan = std::map<client::TopicPartition, std::int64_t>;

// The partitions to reset: --all-topics (what the group has committed) or
// --topic; none with --from-file alone. UsageError when no scope is given.
std::vector<client::TopicPartition> partitions_to_reset(const CommandLine& command_line, client::Cluster& cluster,
                                                        const std::string& group);

OffsetPlan plan_reset(const CommandLine& command_line, client::Cluster& cluster, const std::string& group,
                      const std::vector<client::TopicPartition>& partitions);

// --from-file: "topic,partition,offset" lines (one --group) or
// "group,topic,partition,offset" lines, by group.
std::map<std::string, OffsetPlan> read_reset_file(const std::string& path, bool single_group,
                                                  const std::string& group);

}  // namespace brokkr::cli::groups
