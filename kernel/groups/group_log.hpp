// Where consumer groups keep their state durably: Kafka's internal topic
// __consumer_offsets (compacted; a group lives in partition
// hash(group) % offsets.topic.num.partitions, and the coordinator of a group
// is the leader of that partition). The group coordinator writes through
// this interface and rebuilds its state from it when it starts (or, later,
// when it takes over a partition on failover).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/error_code.hpp"

namespace brokkr::groups {

// One committed offset (OffsetCommitKey/Value in Kafka's log).
struct CommittedOffset {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = -1;
  std::int32_t leader_epoch = -1;
  std::optional<std::string> metadata;
  std::int64_t commit_timestamp_ms = 0;
  std::optional<std::int64_t> expire_timestamp_ms;  // only from old OffsetCommit versions
};

struct StoredMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  std::int32_t rebalance_timeout_ms = 0;
  std::int32_t session_timeout_ms = 0;
  std::vector<std::uint8_t> subscription;  // the metadata of the chosen protocol
  std::vector<std::uint8_t> assignment;
};

// A classic group after each completed rebalance (GroupMetadataKey/Value).
struct StoredGroup {
  std::string group_id;
  std::string protocol_type;  // "consumer", "connect", ... ("" when empty)
  std::int32_t generation = 0;
  std::optional<std::string> protocol;  // the chosen assignor
  std::optional<std::string> leader;
  std::int64_t current_state_timestamp_ms = -1;
  std::vector<StoredMember> members;
};

// One record of another kind, already encoded in Kafka's layout (key, and
// value or nullopt for a tombstone): the KIP-848 consumer group records
// (key versions 3-8) that groups/consumer/consumer_group_records.hpp writes.
struct GroupRecord {
  std::vector<std::uint8_t> key;
  std::optional<std::vector<std::uint8_t>> value;
};

// What loading a partition found, delivered in log order.
struct GroupLogVisitor {
  std::function<void(const std::string& group, const CommittedOffset&)> offset;
  // Tombstone of one offset (OffsetDelete, retention, topic deletion).
  std::function<void(const std::string& group, const std::string& topic, std::int32_t partition)> offset_removed;
  std::function<void(const StoredGroup&)> group;
  std::function<void(const std::string& group)> group_removed;  // tombstone (DeleteGroups)
  // A record whose key version is neither an offset (0, 1) nor a classic
  // group (2): `key` is the whole key, version included. Returns false when
  // nobody knows the kind (the loader then counts it as skipped).
  std::function<bool(std::int16_t key_version, std::span<const std::uint8_t> key,
                     std::optional<std::span<const std::uint8_t>> value)>
      other_record;
};

class GroupLog {
 public:
  using Done = std::function<void(protocol::ErrorCode)>;
  virtual ~GroupLog() = default;

  // The __consumer_offsets partition that holds `group`: Kafka's
  // abs(java String.hashCode(group)) % partition count, so tools agree.
  virtual std::int32_t partition_for(const std::string& group) const = 0;
  virtual std::int32_t partition_count() const = 0;

  // Each call writes one batch; `done` runs once it is durable (committed to
  // the partition's in-sync replicas), possibly on another thread, with
  // none or the Kafka error to return (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE,
  // REQUEST_TIMED_OUT, ...).
  virtual void store_offsets(const std::string& group, const std::vector<CommittedOffset>& offsets,
                             Done done) = 0;
  virtual void remove_offsets(const std::string& group,
                              const std::vector<std::pair<std::string, std::int32_t>>& partitions,
                              Done done) = 0;
  virtual void store_group(const StoredGroup& group, Done done) = 0;
  virtual void remove_group(const std::string& group, Done done) = 0;
  // Records of other kinds for `group` (its partition), in one batch, in order.
  virtual void store_records(const std::string& group, std::vector<GroupRecord> records, Done done) = 0;

  // Replays one partition from its start to its end (compaction keeps it
  // short), synchronously.
  virtual void load_partition(std::int32_t partition, const GroupLogVisitor& visitor) = 0;
};

}  // namespace brokkr::groups
