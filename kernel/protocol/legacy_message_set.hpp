// Kafka's legacy message sets (message formats v0 and v1, magic 0 and 1):
// the `records` of Produce v0-2 and Fetch v0-3. Each entry is
//
//   offset int64, message_size int32, then the message:
//   crc uint32 (CRC-32 IEEE over magic..end), magic int8, attributes int8
//   (bits 0-2 codec, bit 3 LogAppendTime in magic 1), timestamp int64
//   (magic 1 only), key bytes, value bytes (int32 length, -1 = null).
//
// A compressed message (a "wrapper") carries a whole inner message set,
// compressed, as its value; unwrapping it is the converter's job
// (partition/message_format_conversion), this file only reads and writes
// single messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace brokkr::protocol::legacy {

inline constexpr std::size_t kLogOverhead = 12;  // offset + message_size
inline constexpr std::int8_t kCodecMask = 0x07;
inline constexpr std::int8_t kTimestampTypeBit = 0x08;  // magic 1: LogAppendTime
// Byte of an entry holding its magic; a v2 record batch keeps its magic at
// the same place, so one peek tells the formats apart.
inline constexpr std::size_t kMagicPos = 16;

struct Message {
  std::int64_t offset = 0;
  std::int8_t magic = 0;
  std::int8_t attributes = 0;
  std::int64_t timestamp = -1;  // magic 0 has none (-1)
  std::optional<std::span<const std::uint8_t>> key;    // nullopt: null
  std::optional<std::span<const std::uint8_t>> value;  // nullopt: null
  int codec() const { return attributes & kCodecMask; }
  bool log_append_time() const { return magic >= 1 && (attributes & kTimestampTypeBit); }
};

// CRC-32 (IEEE, zlib's), the checksum of legacy messages.
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

// Size of the entry `message` would take, log overhead included.
std::size_t entry_size(std::int8_t magic, std::size_t key_bytes, std::size_t value_bytes);

// Reads every entry of `set`. Never trusts a length: a cut entry, a size or
// length that lies, bytes left over inside a message, a wrong CRC or a
// magic other than 0 and 1 throw protocol::DecodeError. Keys and values
// point into `set`.
std::vector<Message> parse_message_set(std::span<const std::uint8_t> set);

// Appends one entry (magic, attributes, timestamp, key and value as given;
// the CRC is computed here).
void append_message(const Message& message, std::vector<std::uint8_t>& out);

}  // namespace brokkr::protocol::legacy
