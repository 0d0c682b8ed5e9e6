#include "cluster/metadata_records.hpp"

#include <span>

#include "protocol/decode_error.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::cluster {
namespace {

constexpr std::int8_t kTopicRecordVersion = 0;

void write_int32_list(protocol::WireWriter& w, const std::vector<std::int32_t>& values) {
  w.write_int32(static_cast<std::int32_t>(values.size()));
  for (auto v : values) w.write_int32(v);
}

std::vector<std::int32_t> read_int32_list(protocol::WireReader& r) {
  std::int32_t count = r.read_int32();
  if (count < 0 || static_cast<std::size_t>(count) * 4 > r.remaining()) {
    throw protocol::DecodeError("topic record: bad list length");
  }
  std::vector<std::int32_t> values(static_cast<std::size_t>(count));
  for (auto& v : values) v = r.read_int32();
  return values;
}

}  // namespace

std::string topic_key(const std::string& topic) { return std::string(kTopicsPrefix) + topic; }

std::optional<std::string> topic_from_key(std::string_view key) {
  if (key.substr(0, kTopicsPrefix.size()) != kTopicsPrefix) return std::nullopt;
  std::string_view name = key.substr(kTopicsPrefix.size());
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(name);
}

std::string encode_topic(const TopicMetadata& topic) {
  protocol::WireWriter w;
  w.write_int8(kTopicRecordVersion);
  w.write_string(topic.name);
  w.write_uuid(topic.topic_id);
  w.write_bool(topic.internal);
  w.write_int32(static_cast<std::int32_t>(topic.partitions.size()));
  for (const auto& p : topic.partitions) {
    w.write_int32(p.partition);
    w.write_int32(p.leader);
    w.write_int32(p.leader_epoch);
    write_int32_list(w, p.replicas);
    write_int32_list(w, p.isr);
  }
  w.write_int32(static_cast<std::int32_t>(topic.configs.size()));
  for (const auto& [key, value] : topic.configs) {
    w.write_string(key);
    w.write_string(value);
  }
  const auto& bytes = w.buffer();
  return std::string(bytes.begin(), bytes.end());
}

TopicMetadata decode_topic(std::string_view data) {
  protocol::WireReader r(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  std::int8_t version = r.read_int8();
  if (version != kTopicRecordVersion) {
    throw protocol::DecodeError("topic record: unknown version " + std::to_string(version));
  }
  TopicMetadata topic;
  topic.name = r.read_string();
  topic.topic_id = r.read_uuid();
  topic.internal = r.read_bool();
  std::int32_t partitions = r.read_int32();
  if (partitions < 0 || static_cast<std::size_t>(partitions) > r.remaining()) {
    throw protocol::DecodeError("topic record: bad partition count");
  }
  for (std::int32_t i = 0; i < partitions; ++i) {
    PartitionState p;
    p.partition = r.read_int32();
    p.leader = r.read_int32();
    p.leader_epoch = r.read_int32();
    p.replicas = read_int32_list(r);
    p.isr = read_int32_list(r);
    topic.partitions.push_back(std::move(p));
  }
  std::int32_t configs = r.read_int32();
  if (configs < 0 || static_cast<std::size_t>(configs) > r.remaining()) {
    throw protocol::DecodeError("topic record: bad config count");
  }
  for (std::int32_t i = 0; i < configs; ++i) {
    std::string key = r.read_string();
    topic.configs[key] = r.read_string();
  }
  return topic;
}

}  // namespace brokkr::cluster
