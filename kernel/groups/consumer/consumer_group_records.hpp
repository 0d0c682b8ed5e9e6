// The records of a KIP-848 consumer group in __consumer_offsets, in the
// layout of Kafka's group coordinator (Kafka 3.7+), so Kafka's tools read
// what Brokkr writes and Brokkr reads what Kafka wrote:
//
//   key   = int16 record type (3-8) + GroupId [+ MemberId]   (classic strings)
//   value = int16 version (0) + fields in the flexible form (compact strings
//           and arrays, tagged fields), or null: a tombstone
//
//   3 ConsumerGroupMetadata              group epoch
//   4 ConsumerGroupPartitionMetadata     the subscribed topics' facts
//   5 ConsumerGroupMemberMetadata        a member's client, subscription, assignor
//   6 ConsumerGroupTargetAssignmentMetadata   the assignment epoch
//   7 ConsumerGroupTargetAssignmentMember     a member's target partitions
//   8 ConsumerGroupCurrentMemberAssignment    a member's epochs, state, partitions
//
// A value version above 0 is read as 0 (Kafka only adds tagged fields);
// tagged fields (ClassicMemberMetadata, tag 0) are skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "groups/consumer/consumer_group.hpp"

namespace brokkr::groups::consumer {

enum class RecordType : std::int16_t {
  group_metadata = 3,
  partition_metadata = 4,
  member_metadata = 5,
  target_assignment_metadata = 6,
  target_assignment_member = 7,
  current_member_assignment = 8,
};

struct ConsumerRecordKey {
  RecordType type = RecordType::group_metadata;
  std::string group_id;
  std::string member_id;  // types 5, 7, 8 only
};

// Whether `type` carries a member id.
bool is_member_record(RecordType type);

// Throws std::invalid_argument for a string over 32767 bytes.
std::vector<std::uint8_t> encode_consumer_key(RecordType type, const std::string& group_id,
                                              const std::string& member_id = "");
// nullopt when the key version is not 3-8. Throws protocol::DecodeError on
// malformed input.
std::optional<ConsumerRecordKey> decode_consumer_key(std::span<const std::uint8_t> key);

// Values. Decoders throw protocol::DecodeError.
std::vector<std::uint8_t> encode_epoch_value(std::int32_t epoch);  // types 3 and 6
std::int32_t decode_epoch_value(std::span<const std::uint8_t> value);

std::vector<std::uint8_t> encode_partition_metadata(const SubscriptionMetadata& metadata);
SubscriptionMetadata decode_partition_metadata(std::span<const std::uint8_t> value);

// Type 5: instance id, rack, client id/host, subscribed names and regex,
// rebalance timeout, server assignor of `member`.
std::vector<std::uint8_t> encode_member_metadata(const ConsumerGroupMember& member);
void decode_member_metadata(std::span<const std::uint8_t> value, ConsumerGroupMember& member);

std::vector<std::uint8_t> encode_target_member(const PartitionSet& target);
PartitionSet decode_target_member(std::span<const std::uint8_t> value);

// Type 8: member epoch, previous epoch, state, assigned partitions and
// partitions pending revocation of `member`.
std::vector<std::uint8_t> encode_current_assignment(const ConsumerGroupMember& member);
void decode_current_assignment(std::span<const std::uint8_t> value, ConsumerGroupMember& member);

}  // namespace brokkr::groups::consumer
