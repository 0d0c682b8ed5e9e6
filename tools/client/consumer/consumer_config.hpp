// The consumer settings Kafka's consumer reads from its properties, with
// Kafka's defaults. Parsing checks values and names the property in errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "properties.hpp"

namespace brokkr::client {

// auto.offset.reset: where a partition without a valid position starts.
enum class OffsetResetPolicy { earliest, latest, none };

struct ConsumerConfig {
  std::optional<std::string> group_id;
  bool enable_auto_commit = false;  // true by default only with a group.id, as in Kafka
  std::chrono::milliseconds auto_commit_interval{5000};
  OffsetResetPolicy auto_offset_reset = OffsetResetPolicy::latest;
  std::int32_t fetch_max_wait_ms = 500;
  std::int32_t fetch_min_bytes = 1;
  std::int32_t max_partition_fetch_bytes = 1024 * 1024;
  std::int32_t fetch_max_bytes = 50 * 1024 * 1024;
  std::int8_t isolation_level = 0;  // 0 read_uncommitted, 1 read_committed
  std::int32_t max_poll_records = 500;
  bool allow_auto_create_topics = true;
  bool exclude_internal_topics = true;
  std::chrono::milliseconds metadata_max_age{300000};
  std::string client_rack;

  // Throws ClientError naming the property for a bad value.
  static ConsumerConfig from(const Properties& properties);
};

}  // namespace brokkr::client
