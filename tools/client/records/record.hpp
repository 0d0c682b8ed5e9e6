// Records as the client hands them to callers: what a producer sends and
// what a consumer gets back. Keys, values and header values are bytes held
// in std::string; nullopt is Kafka's null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brokkr::client {

struct RecordHeader {
  std::string key;
  std::optional<std::string> value;
};

struct ProducerRecord {
  std::string topic;
  std::optional<std::int32_t> partition;  // nullopt: the partitioner picks
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<RecordHeader> headers;
  std::int64_t timestamp = -1;  // -1: now
};

enum class TimestampType { create_time, log_append_time };

struct ConsumerRecord {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp = -1;
  TimestampType timestamp_type = TimestampType::create_time;
  std::int32_t leader_epoch = -1;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<RecordHeader> headers;
};

}  // namespace brokkr::client
