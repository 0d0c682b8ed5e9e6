#include "groups/offsets_records.hpp"

#include <algorithm>
#include <stdexcept>

#include "protocol/decode_error.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::groups {
namespace {

using protocol::WireReader;
using protocol::WireWriter;

void check_version(std::int16_t version, const char* what) {
  if (version < 0 || version > kMaxValueVersion) {
    throw std::invalid_argument(std::string("cannot encode ") + what + " v" + std::to_string(version));
  }
}

// Versions past the newest we know read as the newest (KIP-915).
std::int16_t value_version(WireReader& r, const char* what) {
  std::int16_t version = r.read_int16();
  if (version < 0) throw protocol::DecodeError(std::string(what) + ": negative version");
  return std::min(version, kMaxValueVersion);
}

// The tagged-field section of a flexible struct: none of its tags are ours.
void skip_tagged_fields(WireReader& r) {
  std::uint32_t count = r.read_tagged_field_count();
  std::int64_t previous = -1;
  for (std::uint32_t i = 0; i < count; ++i) r.read_tagged_field(previous);
}

std::vector<std::uint8_t> take(WireWriter& w) { return w.take(); }

}  // namespace

std::vector<std::uint8_t> encode_offset_key(const std::string& group, const std::string& topic,
                                            std::int32_t partition) {
  WireWriter w;
  w.write_int16(kOffsetKeyVersion);
  w.write_string(group);
  w.write_string(topic);
  w.write_int32(partition);
  return take(w);
}

std::vector<std::uint8_t> encode_group_key(const std::string& group) {
  WireWriter w;
  w.write_int16(kGroupKeyVersion);
  w.write_string(group);
  return take(w);
}

RecordKey decode_key(std::span<const std::uint8_t> key) {
  WireReader r(key);
  std::int16_t version = r.read_int16();
  if (version == 0 || version == kOffsetKeyVersion) {
    OffsetKey k;
    k.group = r.read_string();
    k.topic = r.read_string();
    k.partition = r.read_int32();
    return k;
  }
  if (version == kGroupKeyVersion) return GroupKey{r.read_string()};
  if (version < 0) throw protocol::DecodeError("record key: negative version");
  return UnknownKey{version};
}

std::int16_t offset_value_version(const CommittedOffset& offset) {
  return offset.expire_timestamp_ms ? 1 : 3;
}

std::vector<std::uint8_t> encode_offset_value(const CommittedOffset& offset, std::int16_t version) {
  check_version(version, "OffsetCommitValue");
  bool flexible = version >= 4;
  WireWriter w;
  w.write_int16(version);
  w.write_int64(offset.offset);
  if (version >= 3) w.write_int32(offset.leader_epoch);
  w.write_string_field(offset.metadata.value_or(""), flexible);
  w.write_int64(offset.commit_timestamp_ms);
  if (version == 1) w.write_int64(offset.expire_timestamp_ms.value_or(-1));
  if (flexible) w.write_unsigned_varint(0);
  return take(w);
}

CommittedOffset decode_offset_value(std::span<const std::uint8_t> value, const OffsetKey& key) {
  WireReader r(value);
  std::int16_t version = value_version(r, "OffsetCommitValue");
  bool flexible = version >= 4;
  CommittedOffset out;
  out.topic = key.topic;
  out.partition = key.partition;
  out.offset = r.read_int64();
  if (version >= 3) out.leader_epoch = r.read_int32();
  out.metadata = r.read_string_field(flexible);
  out.commit_timestamp_ms = r.read_int64();
  if (version == 1) {
    std::int64_t expire = r.read_int64();
    if (expire != -1) out.expire_timestamp_ms = expire;  // -1: Kafka's "none"
  }
  if (flexible) skip_tagged_fields(r);
  return out;
}

std::vector<std::uint8_t> encode_group_value(const StoredGroup& group, std::int16_t version) {
  check_version(version, "GroupMetadataValue");
  bool flexible = version >= 4;
  WireWriter w;
  w.write_int16(version);
  w.write_string_field(group.protocol_type, flexible);
  w.write_int32(group.generation);
  w.write_nullable_string_field(group.protocol, flexible, true, "protocol");
  w.write_nullable_string_field(group.leader, flexible, true, "leader");
  if (version >= 2) w.write_int64(group.current_state_timestamp_ms);
  w.write_array_length(group.members.size(), flexible);
  for (const auto& m : group.members) {
    w.write_string_field(m.member_id, flexible);
    if (version >= 3) w.write_nullable_string_field(m.group_instance_id, flexible, true, "groupInstanceId");
    w.write_string_field(m.client_id, flexible);
    w.write_string_field(m.client_host, flexible);
    if (version >= 1) w.write_int32(m.rebalance_timeout_ms);
    w.write_int32(m.session_timeout_ms);
    w.write_bytes_field(m.subscription, flexible);
    w.write_bytes_field(m.assignment, flexible);
    if (flexible) w.write_unsigned_varint(0);
  }
  if (flexible) w.write_unsigned_varint(0);
  return take(w);
}

StoredGroup decode_group_value(std::span<const std::uint8_t> value, const std::string& group_id) {
  WireReader r(value);
  std::int16_t version = value_version(r, "GroupMetadataValue");
  bool flexible = version >= 4;
  StoredGroup out;
  out.group_id = group_id;
  out.protocol_type = r.read_string_field(flexible);
  out.generation = r.read_int32();
  out.protocol = r.read_nullable_string_field(flexible, true);
  out.leader = r.read_nullable_string_field(flexible, true);
  if (version >= 2) out.current_state_timestamp_ms = r.read_int64();
  // Each member takes at least 12 bytes (two int32s, four empty lengths).
  std::int32_t count = r.read_array_length(flexible, false, 12);
  out.members.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) {
    StoredMember m;
    m.member_id = r.read_string_field(flexible);
    if (version >= 3) m.group_instance_id = r.read_nullable_string_field(flexible, true);
    m.client_id = r.read_string_field(flexible);
    m.client_host = r.read_string_field(flexible);
    if (version >= 1) m.rebalance_timeout_ms = r.read_int32();
    m.session_timeout_ms = r.read_int32();
    if (version == 0) m.rebalance_timeout_ms = m.session_timeout_ms;  // as Kafka reads v0
    m.subscription = r.read_bytes_field(flexible);
    m.assignment = r.read_bytes_field(flexible);
    if (flexible) skip_tagged_fields(r);
    out.members.push_back(std::move(m));
  }
  if (flexible) skip_tagged_fields(r);
  return out;
}

}  // namespace brokkr::groups
