#include "partition/message_format_conversion.hpp"

#include <algorithm>
#include <deque>
#include <optional>

#include "brokkr/sdk/record_batch.hpp"
#include "brokkr/sdk/records.hpp"
#include "partition/legacy_lz4.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/legacy_message_set.hpp"

namespace brokkr::partition {
namespace {

namespace rb = sdk::record_batch;
namespace legacy = protocol::legacy;
using protocol::ErrorCode;
using Bytes = std::optional<std::span<const std::uint8_t>>;

struct ConversionError {
  ErrorCode error;
  std::string message;
  bool missing_codec = false;
};

constexpr int kMaxCodecId = static_cast<int>(sdk::CompressionType::zstd);

// Decompresses with the codec of `type`, charging the output to `budget`.
std::vector<std::uint8_t> decompress(sdk::CompressionType type, std::span<const std::uint8_t> input,
                                     const ConversionCodecs& codecs, std::size_t& budget) {
  sdk::Codec* codec = codecs.codecs ? codecs.codecs->find(type) : nullptr;
  if (!codec) {
    throw ConversionError{ErrorCode::unsupported_compression_type,
                          std::string("no codec plugin for ") + codec_name(type) + " is loaded", true};
  }
  std::vector<std::uint8_t> out;
  try {
    codec->decompress(input, budget, out);
  } catch (const std::exception& e) {
    throw ConversionError{ErrorCode::corrupt_message,
                          std::string(codec_name(type)) + " message set does not decompress: " + e.what()};
  }
  budget -= std::min(budget, out.size());
  return out;
}

// ---- up: legacy message set -> one v2 batch ----

struct FlatRecord {
  std::int64_t timestamp;
  Bytes key;
  Bytes value;
};

struct Flattened {
  std::vector<FlatRecord> records;
  std::deque<std::vector<std::uint8_t>> inner_sets;  // what keys and values of wrapped messages point into
  sdk::CompressionType codec = sdk::CompressionType::none;
  bool log_append_time = false;
};

std::vector<legacy::Message> parse(std::span<const std::uint8_t> set, const char* what) {
  try {
    return legacy::parse_message_set(set);
  } catch (const protocol::DecodeError& e) {
    throw ConversionError{ErrorCode::corrupt_message, std::string(what) + ": " + e.what()};
  }
}

void check_timestamp(const legacy::Message& m) {
  if (m.magic >= 1 && m.timestamp < -1) {
    throw ConversionError{ErrorCode::invalid_timestamp,
                          "legacy message timestamp " + std::to_string(m.timestamp) + " is negative"};
  }
}

// A wrapper's inner messages, in order. Their own offsets are not used: the
// broker assigns offsets anyway (Kafka too only checks they parse).
void unwrap(const legacy::Message& wrapper, const ConversionCodecs& codecs, std::size_t& budget,
            Flattened& out) {
  auto type = static_cast<sdk::CompressionType>(wrapper.codec());
  if (type == sdk::CompressionType::zstd) {
    throw ConversionError{ErrorCode::unsupported_compression_type,
                          "zstd needs message format v2 (Produce v3 or later)"};
  }
  if (!wrapper.value) {
    throw ConversionError{ErrorCode::invalid_record, "compressed message with a null value"};
  }
  std::vector<std::uint8_t> inner;
  if (type == sdk::CompressionType::lz4 && wrapper.magic == 0) {
    inner = decompress(type, with_fixed_lz4_header_checksum(*wrapper.value), codecs, budget);
  } else {
    inner = decompress(type, *wrapper.value, codecs, budget);
  }
  const auto& kept = out.inner_sets.emplace_back(std::move(inner));
  auto messages = parse(kept, "compressed message set");
  if (messages.empty()) throw ConversionError{ErrorCode::invalid_record, "compressed message with no messages inside"};
  for (const auto& m : messages) {
    if (m.codec() != 0) throw ConversionError{ErrorCode::invalid_record, "compressed messages may not be nested"};
    if (m.magic != wrapper.magic) {
      throw ConversionError{ErrorCode::invalid_record, "inner message magic " + std::to_string(m.magic) +
                                                           " differs from its wrapper's " +
                                                           std::to_string(wrapper.magic)};
    }
    check_timestamp(m);
    // LogAppendTime wrappers give their timestamp to every inner message.
    std::int64_t timestamp = wrapper.log_append_time() ? wrapper.timestamp : m.timestamp;
    out.records.push_back({timestamp, m.key, m.value});
  }
  out.codec = type;  // mixed codecs: the last one wins, as in Kafka
}

Flattened flatten(std::span<const std::uint8_t> message_set, const ConversionCodecs& codecs) {
  Flattened out;
  std::size_t budget = codecs.max_decompressed_bytes;  // for the whole set, not per wrapper
  auto messages = parse(message_set, "message set");
  if (messages.empty()) throw ConversionError{ErrorCode::corrupt_message, "no messages"};
  for (const auto& m : messages) {
    if (m.codec() > kMaxCodecId) {
      throw ConversionError{ErrorCode::corrupt_message, "unknown codec id " + std::to_string(m.codec())};
    }
    check_timestamp(m);
    out.log_append_time = out.log_append_time || m.log_append_time();
    if (m.codec() == 0) {
      out.records.push_back({m.timestamp, m.key, m.value});
    } else {
      unwrap(m, codecs, budget, out);
    }
  }
  return out;
}

void put_varlong(std::vector<std::uint8_t>& out, std::int64_t v) {
  std::uint64_t z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(z | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(z));
}

void put_varint_bytes(std::vector<std::uint8_t>& out, const Bytes& bytes) {
  if (!bytes) return put_varlong(out, -1);
  put_varlong(out, static_cast<std::int64_t>(bytes->size()));
  out.insert(out.end(), bytes->begin(), bytes->end());
}

// The records section of a v2 batch (uncompressed), timestamps as deltas.
std::vector<std::uint8_t> encode_records(const std::vector<FlatRecord>& records, std::int64_t base_timestamp) {
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> record;
  for (std::size_t i = 0; i < records.size(); ++i) {
    record.clear();
    record.push_back(0);  // attributes
    // Wrapping subtraction: readers add it back to the base the same way.
    put_varlong(record, static_cast<std::int64_t>(static_cast<std::uint64_t>(records[i].timestamp) -
                                                  static_cast<std::uint64_t>(base_timestamp)));
    put_varlong(record, static_cast<std::int64_t>(i));
    put_varint_bytes(record, records[i].key);
    put_varint_bytes(record, records[i].value);
    put_varlong(record, 0);  // no headers in message formats 0 and 1
    put_varlong(out, static_cast<std::int64_t>(record.size()));
    out.insert(out.end(), record.begin(), record.end());
  }
  return out;
}

std::vector<std::uint8_t> build_batch(const Flattened& flat, const ConversionCodecs& codecs) {
  rb::BatchHeader header;
  header.partition_leader_epoch = -1;
  header.attributes = static_cast<std::int16_t>(static_cast<int>(flat.codec) |
                                                (flat.log_append_time ? rb::kTimestampTypeBit : 0));
  header.record_count = static_cast<std::int32_t>(flat.records.size());
  header.last_offset_delta = header.record_count - 1;
  header.base_timestamp = flat.records.front().timestamp;
  header.max_timestamp = -1;
  for (const auto& r : flat.records) header.max_timestamp = std::max(header.max_timestamp, r.timestamp);

  std::vector<std::uint8_t> records = encode_records(flat.records, header.base_timestamp);
  std::vector<std::uint8_t> batch;
  if (flat.codec == sdk::CompressionType::none) {
    rb::append_batch(header, records, batch);
    return batch;
  }
  std::vector<std::uint8_t> compressed;
  try {
    // The codec plugin was found when unwrapping; its default level.
    codecs.codecs->find(flat.codec)->compress(records, std::nullopt, compressed);
  } catch (const std::exception& e) {
    throw ConversionError{ErrorCode::unknown_server_error,
                          std::string("compressing the converted batch failed: ") + e.what()};
  }
  rb::append_batch(header, compressed, batch);
  return batch;
}

// ---- down: v2 batches -> legacy message set ----

class MessageSetWriter {
 public:
  MessageSetWriter(std::int8_t magic, std::int64_t first_offset, std::size_t max_bytes)
      : magic_(magic), first_offset_(first_offset), max_bytes_(max_bytes) {}

  // Appends the records of one batch; false once the size limit is reached.
  bool add_batch(const rb::BatchHeader& header, std::span<const std::uint8_t> records) {
    sdk::records::Cursor cursor(records);
    while (!cursor.done()) {
      sdk::records::Record r = sdk::records::next_record(cursor);
      legacy::Message m;
      m.offset = header.base_offset + r.offset_delta;
      if (m.offset < first_offset_) continue;  // Kafka also starts at the fetch offset
      m.magic = magic_;
      if (magic_ >= 1) {
        m.attributes = header.log_append_time() ? legacy::kTimestampTypeBit : 0;
        // Wrapping addition: a stored delta never makes this overflow.
        m.timestamp = header.log_append_time()
                          ? header.max_timestamp
                          : static_cast<std::int64_t>(static_cast<std::uint64_t>(header.base_timestamp) +
                                                      static_cast<std::uint64_t>(r.timestamp_delta));
      }
      m.key = r.key;
      m.value = r.value;
      std::size_t size = legacy::entry_size(magic_, r.key ? r.key->size() : 0, r.value ? r.value->size() : 0);
      if (!out.empty() && out.size() + size > max_bytes_) return false;
      legacy::append_message(m, out);
    }
    return true;
  }

  std::vector<std::uint8_t> out;

 private:
  std::int8_t magic_;
  std::int64_t first_offset_;
  std::size_t max_bytes_;
};

// Converts batch after batch; an error stops the set (thrown on when
// nothing came before it).
std::vector<std::uint8_t> convert_batches(std::span<const std::uint8_t> batches, MessageSetWriter& writer,
                                          const ConversionCodecs& codecs) {
  std::size_t budget = codecs.max_decompressed_bytes;
  std::size_t position = 0;
  while (position < batches.size()) {
    auto rest = batches.subspan(position);
    auto header = rb::parse_header(rest);
    if (!header || header->batch_length < static_cast<std::int32_t>(rb::kHeaderSize - rb::kLogOverhead) ||
        static_cast<std::uint64_t>(header->total_size()) > rest.size()) {
      break;  // a partial batch at the end: nothing more to convert
    }
    position += static_cast<std::size_t>(header->total_size());
    if (header->magic != 2) throw ConversionError{ErrorCode::corrupt_message, "stored batch is not magic 2"};
    if (header->control()) continue;
    auto records = rest.subspan(rb::kHeaderSize, static_cast<std::size_t>(header->total_size()) - rb::kHeaderSize);
    std::vector<std::uint8_t> decompressed;
    if (header->compression() == sdk::CompressionType::zstd) {
      throw ConversionError{ErrorCode::unsupported_compression_type, "zstd batches need Fetch v10 or later"};
    }
    if (header->compression() != sdk::CompressionType::none) {
      decompressed = decompress(header->compression(), records, codecs, budget);
      records = decompressed;
    }
    try {
      if (!writer.add_batch(*header, records)) break;
    } catch (const sdk::records::RecordError& e) {
      throw ConversionError{ErrorCode::corrupt_message, std::string("stored record: ") + e.what()};
    }
  }
  return std::move(writer.out);
}

}  // namespace

ConversionResult to_record_batch(std::span<const std::uint8_t> message_set, const ConversionCodecs& codecs) {
  ConversionResult result;
  try {
    result.bytes = build_batch(flatten(message_set, codecs), codecs);
  } catch (const ConversionError& e) {
    result.error = e.error;
    result.message = e.message;
    result.missing_codec = e.missing_codec;
  }
  return result;
}

ConversionResult to_message_set(std::span<const std::uint8_t> batches, std::int8_t magic,
                                std::int64_t first_offset, std::size_t max_bytes,
                                const ConversionCodecs& codecs) {
  ConversionResult result;
  MessageSetWriter writer(magic, first_offset, max_bytes);
  try {
    result.bytes = convert_batches(batches, writer, codecs);
  } catch (const ConversionError& e) {
    // What was converted before the error goes out; the client meets the
    // error when it fetches from there.
    if (writer.out.empty()) {
      result.error = e.error;
      result.message = e.message;
      result.missing_codec = e.missing_codec;
    }
    result.bytes = std::move(writer.out);
  }
  return result;
}

}  // namespace brokkr::partition
