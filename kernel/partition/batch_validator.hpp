// Validates the record batches of one Produce partition entry the way
// Kafka's broker does before anything is written: structure and lengths
// (never trusted), magic v2, CRC-32C, record count and offset deltas,
// batch size against max.message.bytes, keys for compacted topics,
// timestamps. LogAppendTime topics get their timestamps set here.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "brokkr/sdk/storage.hpp"
#include "partition/codec_set.hpp"
#include "partition/compression_target.hpp"
#include "protocol/error_code.hpp"

namespace brokkr::partition {

struct ValidationSettings {
  std::int32_t max_message_bytes = 1048588;
  bool log_append_time = false;
  bool compacted = false;
  std::int64_t timestamp_before_max_ms = std::numeric_limits<std::int64_t>::max();
  std::int64_t timestamp_after_max_ms = std::numeric_limits<std::int64_t>::max();
  // Compressed batches are decompressed to check their records; none
  // loaded means they are refused with UNSUPPORTED_COMPRESSION_TYPE.
  const CodecSet* codecs = nullptr;
  // A batch whose records would decompress to more than this is refused
  // (decompression bombs), without allocating the claimed size.
  std::size_t max_decompressed_bytes = 256u << 20;
  // The topic's compression.type: batches in another codec are re-encoded
  // to it. nullopt (producer) stores them as they came.
  std::optional<CompressionTarget> compression_target;
};

struct ValidatedBatch {
  std::size_t position = 0;  // within the records buffer
  std::size_t size = 0;
  std::int32_t last_offset_delta = 0;
  std::int32_t record_count = 0;
  std::int64_t max_timestamp = -1;
  std::int32_t max_timestamp_offset_delta = 0;
};

struct ValidationResult {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::string message;
  std::vector<ValidatedBatch> batches;
  // Set when a batch was re-encoded (compression.type): the whole records
  // buffer to store instead of the request's; batches' positions refer to it.
  std::optional<std::vector<std::uint8_t>> rewritten;
  bool ok() const { return error == protocol::ErrorCode::none; }
};

// May rewrite timestamps in place (LogAppendTime); batches in a codec other
// than the topic's are re-encoded into `rewritten`. Nothing else changes.
ValidationResult validate_batches(std::span<std::uint8_t> records, const ValidationSettings& settings,
                                  std::int64_t now_ms);

// Stamps base offsets and the leader epoch (outside the CRC) from
// `next_offset`; returns what the storage engine is told.
sdk::AppendInfo assign_offsets(std::span<std::uint8_t> records, const ValidationResult& validated,
                               std::int64_t next_offset, std::int32_t leader_epoch);

}  // namespace brokkr::partition
