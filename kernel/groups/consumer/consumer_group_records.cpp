#include "groups/consumer/consumer_group_records.hpp"

#include <algorithm>

#include "protocol/decode_error.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::groups::consumer {
namespace {

using protocol::WireReader;
using protocol::WireWriter;

constexpr std::int16_t kValueVersion = 0;
constexpr std::int16_t kFirstType = 3;
constexpr std::int16_t kLastType = 8;

// Kafka's MemberState bytes.
constexpr std::int8_t kStable = 0;
constexpr std::int8_t kUnrevoked = 1;
constexpr std::int8_t kUnreleased = 2;

WireWriter value_writer() {
  WireWriter w;
  w.write_int16(kValueVersion);
  return w;
}

// Any version reads as v0: later versions only add tagged fields.
WireReader value_reader(std::span<const std::uint8_t> value, const char* what) {
  WireReader r(value);
  if (r.read_int16() < 0) throw protocol::DecodeError(std::string(what) + ": negative version");
  return r;
}

void skip_tagged_fields(WireReader& r) {
  std::uint32_t count = r.read_tagged_field_count();
  std::int64_t previous = -1;
  for (std::uint32_t i = 0; i < count; ++i) r.read_tagged_field(previous);
}

void end_struct(WireWriter& w) { w.write_unsigned_varint(0); }

void write_partition_set(WireWriter& w, const PartitionSet& set) {
  std::size_t topics = 0;
  for (const auto& [topic, partitions] : set) topics += partitions.empty() ? 0 : 1;
  w.write_array_length(topics, true);
  for (const auto& [topic, partitions] : set) {
    if (partitions.empty()) continue;
    w.write_uuid(topic);
    w.write_array_length(partitions.size(), true);
    for (auto p : partitions) w.write_int32(p);
    end_struct(w);
  }
}

PartitionSet read_partition_set(WireReader& r) {
  PartitionSet set;
  std::int32_t topics = r.read_array_length(true, false, 18);  // uuid + length + tags
  for (std::int32_t i = 0; i < topics; ++i) {
    protocol::Uuid topic = r.read_uuid();
    std::int32_t count = r.read_array_length(true, false, 4);
    auto& partitions = set[topic];
    for (std::int32_t j = 0; j < count; ++j) partitions.insert(r.read_int32());
    skip_tagged_fields(r);
  }
  compact(set);
  return set;
}

void write_strings(WireWriter& w, const std::vector<std::string>& strings) {
  w.write_array_length(strings.size(), true);
  for (const auto& s : strings) w.write_compact_string(s);
}

std::vector<std::string> read_strings(WireReader& r) {
  std::int32_t count = r.read_array_length(true, false, 1);
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) out.push_back(r.read_compact_string());
  return out;
}

}  // namespace

bool is_member_record(RecordType type) {
  return type == RecordType::member_metadata || type == RecordType::target_assignment_member ||
         type == RecordType::current_member_assignment;
}

std::vector<std::uint8_t> encode_consumer_key(RecordType type, const std::string& group_id,
                                              const std::string& member_id) {
  WireWriter w;
  w.write_int16(static_cast<std::int16_t>(type));
  w.write_string(group_id);
  if (is_member_record(type)) w.write_string(member_id);
  return w.take();
}

std::optional<ConsumerRecordKey> decode_consumer_key(std::span<const std::uint8_t> key) {
  WireReader r(key);
  std::int16_t version = r.read_int16();
  if (version < kFirstType || version > kLastType) return std::nullopt;
  ConsumerRecordKey out;
  out.type = static_cast<RecordType>(version);
  out.group_id = r.read_string();
  if (is_member_record(out.type)) out.member_id = r.read_string();
  return out;
}

std::vector<std::uint8_t> encode_epoch_value(std::int32_t epoch) {
  WireWriter w = value_writer();
  w.write_int32(epoch);
  end_struct(w);
  return w.take();
}

std::int32_t decode_epoch_value(std::span<const std::uint8_t> value) {
  WireReader r = value_reader(value, "epoch value");
  std::int32_t epoch = r.read_int32();
  skip_tagged_fields(r);
  return epoch;
}

std::vector<std::uint8_t> encode_partition_metadata(const SubscriptionMetadata& metadata) {
  WireWriter w = value_writer();
  w.write_array_length(metadata.size(), true);
  for (const auto& [name, topic] : metadata) {
    w.write_uuid(topic.topic_id);
    w.write_compact_string(name);
    w.write_int32(topic.partitions);
    // Kafka stores an empty list when no partition has rack information.
    bool racks = std::any_of(topic.partition_racks.begin(), topic.partition_racks.end(),
                             [](const auto& r) { return !r.empty(); });
    w.write_array_length(racks ? topic.partition_racks.size() : 0, true);
    if (racks) {
      for (std::size_t p = 0; p < topic.partition_racks.size(); ++p) {
        w.write_int32(static_cast<std::int32_t>(p));
        write_strings(w, topic.partition_racks[p]);
        end_struct(w);
      }
    }
    end_struct(w);
  }
  end_struct(w);
  return w.take();
}

SubscriptionMetadata decode_partition_metadata(std::span<const std::uint8_t> value) {
  WireReader r = value_reader(value, "ConsumerGroupPartitionMetadataValue");
  SubscriptionMetadata out;
  std::int32_t topics = r.read_array_length(true, false, 23);
  for (std::int32_t i = 0; i < topics; ++i) {
    SubscribedTopic topic;
    topic.topic_id = r.read_uuid();
    std::string name = r.read_compact_string();
    topic.partitions = r.read_int32();
    if (topic.partitions < 0) throw protocol::DecodeError("negative partition count");
    std::int32_t entries = r.read_array_length(true, false, 6);
    // Every partition has a (possibly empty) rack list, as computed from metadata.
    topic.partition_racks.assign(static_cast<std::size_t>(std::min(topic.partitions, 1 << 20)), {});
    for (std::int32_t j = 0; j < entries; ++j) {
      std::int32_t partition = r.read_int32();
      std::vector<std::string> racks = read_strings(r);
      skip_tagged_fields(r);
      if (partition >= 0 && static_cast<std::size_t>(partition) < topic.partition_racks.size()) {
        topic.partition_racks[static_cast<std::size_t>(partition)] = std::move(racks);
      }
    }
    skip_tagged_fields(r);
    out[std::move(name)] = std::move(topic);
  }
  skip_tagged_fields(r);
  return out;
}

std::vector<std::uint8_t> encode_member_metadata(const ConsumerGroupMember& member) {
  WireWriter w = value_writer();
  w.write_compact_nullable_string(member.instance_id);
  w.write_compact_nullable_string(member.rack_id);
  w.write_compact_string(member.client_id);
  w.write_compact_string(member.client_host);
  write_strings(w, member.subscribed_topic_names);
  w.write_compact_nullable_string(member.subscribed_topic_regex);
  w.write_int32(member.rebalance_timeout_ms);
  w.write_compact_nullable_string(member.server_assignor);
  end_struct(w);  // ClassicMemberMetadata (tag 0) is null: not written
  return w.take();
}

void decode_member_metadata(std::span<const std::uint8_t> value, ConsumerGroupMember& member) {
  WireReader r = value_reader(value, "ConsumerGroupMemberMetadataValue");
  member.instance_id = r.read_compact_nullable_string();
  member.rack_id = r.read_compact_nullable_string();
  member.client_id = r.read_compact_string();
  member.client_host = r.read_compact_string();
  std::vector<std::string> names = read_strings(r);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  member.subscribed_topic_names = std::move(names);
  member.subscribed_topic_regex = r.read_compact_nullable_string();
  if (member.subscribed_topic_regex && member.subscribed_topic_regex->empty()) member.subscribed_topic_regex.reset();
  member.rebalance_timeout_ms = r.read_int32();
  member.server_assignor = r.read_compact_nullable_string();
  skip_tagged_fields(r);
}

std::vector<std::uint8_t> encode_target_member(const PartitionSet& target) {
  WireWriter w = value_writer();
  write_partition_set(w, target);
  end_struct(w);
  return w.take();
}

PartitionSet decode_target_member(std::span<const std::uint8_t> value) {
  WireReader r = value_reader(value, "ConsumerGroupTargetAssignmentMemberValue");
  PartitionSet out = read_partition_set(r);
  skip_tagged_fields(r);
  return out;
}

std::vector<std::uint8_t> encode_current_assignment(const ConsumerGroupMember& member) {
  WireWriter w = value_writer();
  w.write_int32(member.member_epoch);
  w.write_int32(member.previous_member_epoch);
  switch (member.state) {
    case MemberState::stable: w.write_int8(kStable); break;
    case MemberState::unrevoked_partitions: w.write_int8(kUnrevoked); break;
    case MemberState::unreleased_partitions: w.write_int8(kUnreleased); break;
  }
  write_partition_set(w, member.assigned);
  write_partition_set(w, member.pending_revocation);
  end_struct(w);
  return w.take();
}

void decode_current_assignment(std::span<const std::uint8_t> value, ConsumerGroupMember& member) {
  WireReader r = value_reader(value, "ConsumerGroupCurrentMemberAssignmentValue");
  member.member_epoch = r.read_int32();
  member.previous_member_epoch = r.read_int32();
  std::int8_t state = r.read_int8();
  // UNKNOWN (127) or anything newer: reconciliation starts over from stable.
  member.state = state == kUnrevoked    ? MemberState::unrevoked_partitions
                 : state == kUnreleased ? MemberState::unreleased_partitions
                                        : MemberState::stable;
  member.assigned = read_partition_set(r);
  member.pending_revocation = read_partition_set(r);
  skip_tagged_fields(r);
}

}  // namespace brokkr::groups::consumer
