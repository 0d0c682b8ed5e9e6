// The records of __consumer_offsets in Kafka's own layout, so Kafka's tools
// (kafka-console-consumer with the offsets formatter, kafka-dump-log) read
// what Brokkr writes and Brokkr reads what Kafka wrote:
//
//   key   = int16 version + fields     value = int16 version + fields, or
//                                              null (a tombstone)
//   key v0/v1  OffsetCommitKey    group, topic, partition
//   key v2     GroupMetadataKey   group
//   key v3-8   KIP-848 consumer groups: consumer/consumer_group_records.hpp
//   key v9+    newer record kinds (share groups, ...): skipped
//
// OffsetCommitValue v0-4 and GroupMetadataValue v0-4 are decoded; v4 is the
// flexible form (compact strings, tagged fields). A value version above 4 is
// read as v4: Kafka only adds tagged fields from there (KIP-915).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "groups/group_log.hpp"

namespace brokkr::groups {

inline constexpr const char* kOffsetsTopic = "__consumer_offsets";

inline constexpr std::int16_t kOffsetKeyVersion = 1;    // what we write (v0 reads the same)
inline constexpr std::int16_t kGroupKeyVersion = 2;
inline constexpr std::int16_t kGroupValueVersion = 3;   // what Kafka 2.3+ writes
inline constexpr std::int16_t kMaxValueVersion = 4;

struct OffsetKey {
  std::string group;
  std::string topic;
  std::int32_t partition = 0;
};
struct GroupKey {
  std::string group;
};
struct UnknownKey {
  std::int16_t version = 0;
};
using RecordKey = std::variant<OffsetKey, GroupKey, UnknownKey>;

// Encoders throw std::invalid_argument for a string over 32767 bytes.
std::vector<std::uint8_t> encode_offset_key(const std::string& group, const std::string& topic,
                                            std::int32_t partition);
std::vector<std::uint8_t> encode_group_key(const std::string& group);
// Throws protocol::DecodeError on malformed input; an unknown version is an
// UnknownKey, not an error.
RecordKey decode_key(std::span<const std::uint8_t> key);

// The version Kafka writes: 1 when an expire timestamp is set, else 3.
std::int16_t offset_value_version(const CommittedOffset& offset);
// Any version 0-4 (tests write each). A null metadata is written as "", as
// Kafka stores it; versions without a field drop it.
std::vector<std::uint8_t> encode_offset_value(const CommittedOffset& offset, std::int16_t version);
// Topic and partition come from the key. Throws protocol::DecodeError.
CommittedOffset decode_offset_value(std::span<const std::uint8_t> value, const OffsetKey& key);

std::vector<std::uint8_t> encode_group_value(const StoredGroup& group, std::int16_t version);
// group_id comes from the key. Throws protocol::DecodeError.
StoredGroup decode_group_value(std::span<const std::uint8_t> value, const std::string& group_id);

}  // namespace brokkr::groups
