// The Kafka record batch (magic v2) layout, for the kernel and for plugins
// that look inside stored batches (storage, codecs). Header-only, standard
// types only.
//
//   offset  field                  offset  field
//   0       base_offset int64      27      base_timestamp int64
//   8       batch_length int32     35      max_timestamp int64
//   12      partition_leader_epoch 43      producer_id int64
//   16      magic int8 (= 2)       51      producer_epoch int16
//   17      crc uint32 (CRC-32C)   53      base_sequence int32
//   21      attributes int16       57      record_count int32
//   23      last_offset_delta      61      records...
//
// The CRC covers attributes to the end of the batch, so the broker can set
// base_offset and partition_leader_epoch without recomputing it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "brokkr/sdk/codec.hpp"
#include "brokkr/sdk/crc32c.hpp"

namespace brokkr::sdk::record_batch {

inline constexpr std::size_t kLogOverhead = 12;  // base_offset + batch_length
inline constexpr std::size_t kHeaderSize = 61;
inline constexpr std::size_t kBaseOffsetPos = 0;
inline constexpr std::size_t kBatchLengthPos = 8;
inline constexpr std::size_t kLeaderEpochPos = 12;
inline constexpr std::size_t kMagicPos = 16;
inline constexpr std::size_t kCrcPos = 17;
inline constexpr std::size_t kAttributesPos = 21;
inline constexpr std::size_t kLastOffsetDeltaPos = 23;
inline constexpr std::size_t kBaseTimestampPos = 27;
inline constexpr std::size_t kMaxTimestampPos = 35;
inline constexpr std::size_t kProducerIdPos = 43;
inline constexpr std::size_t kProducerEpochPos = 51;
inline constexpr std::size_t kBaseSequencePos = 53;
inline constexpr std::size_t kRecordCountPos = 57;

inline constexpr std::int16_t kCompressionMask = 0x07;
inline constexpr std::int16_t kTimestampTypeBit = 0x08;  // 1 = LogAppendTime
inline constexpr std::int16_t kTransactionalBit = 0x10;
inline constexpr std::int16_t kControlBit = 0x20;
inline constexpr std::int16_t kDeleteHorizonBit = 0x40;

inline std::uint64_t load_be(const std::uint8_t* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}
inline void store_be(std::uint8_t* p, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
}

struct BatchHeader {
  std::int64_t base_offset = 0;
  std::int32_t batch_length = 0;
  std::int32_t partition_leader_epoch = 0;
  std::int8_t magic = 0;
  std::uint32_t crc = 0;
  std::int16_t attributes = 0;
  std::int32_t last_offset_delta = 0;
  std::int64_t base_timestamp = 0;
  std::int64_t max_timestamp = 0;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;
  std::int32_t base_sequence = -1;
  std::int32_t record_count = 0;

  std::int64_t last_offset() const { return base_offset + last_offset_delta; }
  // Size of the whole batch on the wire / on disk.
  std::int64_t total_size() const { return static_cast<std::int64_t>(kLogOverhead) + batch_length; }
  CompressionType compression() const { return static_cast<CompressionType>(attributes & kCompressionMask); }
  bool log_append_time() const { return attributes & kTimestampTypeBit; }
  bool transactional() const { return attributes & kTransactionalBit; }
  bool control() const { return attributes & kControlBit; }
};

// Reads the header of the batch at the start of `bytes`; nullopt when fewer
// than kHeaderSize bytes are there. Checks nothing else.
inline std::optional<BatchHeader> parse_header(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) return std::nullopt;
  const std::uint8_t* p = bytes.data();
  BatchHeader h;
  h.base_offset = static_cast<std::int64_t>(load_be(p + kBaseOffsetPos, 8));
  h.batch_length = static_cast<std::int32_t>(load_be(p + kBatchLengthPos, 4));
  h.partition_leader_epoch = static_cast<std::int32_t>(load_be(p + kLeaderEpochPos, 4));
  h.magic = static_cast<std::int8_t>(p[kMagicPos]);
  h.crc = static_cast<std::uint32_t>(load_be(p + kCrcPos, 4));
  h.attributes = static_cast<std::int16_t>(load_be(p + kAttributesPos, 2));
  h.last_offset_delta = static_cast<std::int32_t>(load_be(p + kLastOffsetDeltaPos, 4));
  h.base_timestamp = static_cast<std::int64_t>(load_be(p + kBaseTimestampPos, 8));
  h.max_timestamp = static_cast<std::int64_t>(load_be(p + kMaxTimestampPos, 8));
  h.producer_id = static_cast<std::int64_t>(load_be(p + kProducerIdPos, 8));
  h.producer_epoch = static_cast<std::int16_t>(load_be(p + kProducerEpochPos, 2));
  h.base_sequence = static_cast<std::int32_t>(load_be(p + kBaseSequencePos, 4));
  h.record_count = static_cast<std::int32_t>(load_be(p + kRecordCountPos, 4));
  return h;
}

// CRC-32C over attributes..end of a whole batch.
inline std::uint32_t compute_crc(std::span<const std::uint8_t> batch) {
  return crc32c::value(batch.subspan(kAttributesPos));
}

inline bool crc_matches(std::span<const std::uint8_t> batch) {
  auto header = parse_header(batch);
  return header && compute_crc(batch) == header->crc;
}

inline void set_base_offset(std::span<std::uint8_t> batch, std::int64_t offset) {
  store_be(batch.data() + kBaseOffsetPos, static_cast<std::uint64_t>(offset), 8);
}
inline void set_partition_leader_epoch(std::span<std::uint8_t> batch, std::int32_t epoch) {
  store_be(batch.data() + kLeaderEpochPos, static_cast<std::uint32_t>(epoch), 4);
}
// Inside the CRC: callers recompute it with update_crc().
inline void set_attributes(std::span<std::uint8_t> batch, std::int16_t attributes) {
  store_be(batch.data() + kAttributesPos, static_cast<std::uint16_t>(attributes), 2);
}
inline void set_max_timestamp(std::span<std::uint8_t> batch, std::int64_t timestamp) {
  store_be(batch.data() + kMaxTimestampPos, static_cast<std::uint64_t>(timestamp), 8);
}
inline void update_crc(std::span<std::uint8_t> batch) {
  store_be(batch.data() + kCrcPos, compute_crc(batch), 4);
}

// Appends a whole v2 batch to `out`: the fields of `header` (its
// batch_length, magic and crc are ignored and computed here) followed by
// `records`, the records section as it is to be stored (compressed or not,
// as the header's attributes say).
inline void append_batch(const BatchHeader& header, std::span<const std::uint8_t> records,
                         std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.resize(start + kHeaderSize);
  std::uint8_t* p = out.data() + start;
  store_be(p + kBaseOffsetPos, static_cast<std::uint64_t>(header.base_offset), 8);
  store_be(p + kBatchLengthPos, kHeaderSize - kLogOverhead + records.size(), 4);
  store_be(p + kLeaderEpochPos, static_cast<std::uint32_t>(header.partition_leader_epoch), 4);
  p[kMagicPos] = 2;
  store_be(p + kAttributesPos, static_cast<std::uint16_t>(header.attributes), 2);
  store_be(p + kLastOffsetDeltaPos, static_cast<std::uint32_t>(header.last_offset_delta), 4);
  store_be(p + kBaseTimestampPos, static_cast<std::uint64_t>(header.base_timestamp), 8);
  store_be(p + kMaxTimestampPos, static_cast<std::uint64_t>(header.max_timestamp), 8);
  store_be(p + kProducerIdPos, static_cast<std::uint64_t>(header.producer_id), 8);
  store_be(p + kProducerEpochPos, static_cast<std::uint16_t>(header.producer_epoch), 2);
  store_be(p + kBaseSequencePos, static_cast<std::uint32_t>(header.base_sequence), 4);
  store_be(p + kRecordCountPos, static_cast<std::uint32_t>(header.record_count), 4);
  out.insert(out.end(), records.begin(), records.end());
  update_crc(std::span<std::uint8_t>(out).subspan(start));
}

}  // namespace brokkr::sdk::record_batch
