// Offsets of partitions: log offsets from the partition leaders (ListOffsets)
// and a group's committed offsets at its coordinator (OffsetFetch,
// OffsetCommit), with the retries Kafka's clients do when a leader or
// coordinator moves or is loading.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster.hpp"
#include "topic_partition.hpp"

namespace brokkr::client {

// ListOffsets' special timestamps.
inline constexpr std::int64_t kLatestTimestamp = -1;
inline constexpr std::int64_t kEarliestTimestamp = -2;

// The offset for `timestamp` (or kLatest/kEarliest) of each partition; -1
// when no record has a timestamp at or after it. Throws KafkaError for a
// partition error other than retriable ones (retried a few times).
std::map<TopicPartition, std::int64_t> list_offsets(Cluster& cluster,
                                                    const std::vector<TopicPartition>& partitions,
                                                    std::int64_t timestamp, std::int8_t isolation_level = 0);

struct CommittedOffset {
  std::int64_t offset = -1;
  std::int32_t leader_epoch = -1;
  std::string metadata;
};

// The group's committed offsets for `partitions` (nullopt: every partition
// the group has committed). Partitions without a commit are left out.
std::map<TopicPartition, CommittedOffset> fetch_committed_offsets(
    Cluster& cluster, const std::string& group, const std::optional<std::vector<TopicPartition>>& partitions);

// Who commits: a member of the current generation, or (generation -1, empty
// member id) an admin committing for an empty group.
struct CommitIdentity {
  std::int32_t generation_or_member_epoch = -1;
  std::string member_id;
  std::optional<std::string> instance_id;
};

// Commits; throws KafkaError naming the partition for the first partition error.
void commit_offsets(Cluster& cluster, const std::string& group,
                    const std::map<TopicPartition, CommittedOffset>& offsets, const CommitIdentity& identity);

// Runs `call` against the group's coordinator, finding it again and retrying
// (with a short backoff, up to the request timeout) while the answer is
// NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or COORDINATOR_LOAD_IN_PROGRESS.
// `call` returns the error code it got (0 for success).
void with_coordinator(Cluster& cluster, const std::string& group,
                      const std::function<std::int16_t(BrokerConnection&)>& call);

}  // namespace brokkr::client
