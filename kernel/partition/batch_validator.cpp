#include "partition/batch_validator.hpp"

#include "brokkr/sdk/record_batch.hpp"
#include "brokkr/sdk/records.hpp"

namespace brokkr::partition {
namespace rb = sdk::record_batch;
using protocol::ErrorCode;

namespace {

// Smallest valid batch_length: the header after the length field, no records.
constexpr std::int32_t kMinBatchLength = static_cast<std::int32_t>(rb::kHeaderSize - rb::kLogOverhead);

ValidationResult fail(ErrorCode error, std::string message) {
  ValidationResult r;
  r.error = error;
  r.message = std::move(message);
  return r;
}

// Walks the records of a batch (decompressed first when compressed): count,
// consecutive offset deltas, keys, timestamps.
std::optional<ValidationResult> check_records(std::span<const std::uint8_t> records,
                                              const rb::BatchHeader& header,
                                              const ValidationSettings& settings, std::int64_t now_ms,
                                              ValidatedBatch& info) {
  sdk::records::Cursor cursor(records);
  std::int32_t count = 0;
  info.max_timestamp = -1;
  try {
    while (!cursor.done()) {
      sdk::records::Record record = sdk::records::next_record(cursor);
      if (record.offset_delta != count) {
        return fail(ErrorCode::invalid_record, "record offset deltas are not consecutive");
      }
      if (settings.compacted && !record.key) {
        return fail(ErrorCode::invalid_record, "compacted topic cannot accept a record without a key");
      }
      std::int64_t timestamp = header.base_timestamp + record.timestamp_delta;
      // -1 is "no timestamp" (message format v0): Kafka checks no bounds on it.
      if (!settings.log_append_time && timestamp != -1) {
        bool too_old = settings.timestamp_before_max_ms != std::numeric_limits<std::int64_t>::max() &&
                       timestamp < now_ms - settings.timestamp_before_max_ms;
        bool too_new = settings.timestamp_after_max_ms != std::numeric_limits<std::int64_t>::max() &&
                       timestamp > now_ms + settings.timestamp_after_max_ms;
        if (too_old || too_new) {
          return fail(ErrorCode::invalid_timestamp,
                      "record timestamp " + std::to_string(timestamp) + " is out of the accepted range");
        }
      }
      if (timestamp > info.max_timestamp) {
        info.max_timestamp = timestamp;
        info.max_timestamp_offset_delta = record.offset_delta;
      }
      ++count;
    }
  } catch (const sdk::records::RecordError& e) {
    return fail(ErrorCode::corrupt_message, std::string("malformed record: ") + e.what());
  }
  if (count != header.record_count) {
    return fail(ErrorCode::invalid_record, "batch claims " + std::to_string(header.record_count) +
                                                " records but holds " + std::to_string(count));
  }
  return std::nullopt;
}

// Re-encodes one batch for the topic's compression.type into
// result.rewritten (which starts with the request's batches before it).
std::optional<ValidationResult> recompress(const rb::BatchHeader& header, std::span<const std::uint8_t> records,
                                           const CompressionTarget& target, const ValidationSettings& settings,
                                           std::span<const std::uint8_t> earlier_batches, ValidationResult& result,
                                           ValidatedBatch& info) {
  sdk::Codec* codec = nullptr;
  if (target.type != sdk::CompressionType::none) {
    codec = settings.codecs ? settings.codecs->find(target.type) : nullptr;
    if (!codec) {
      return fail(ErrorCode::unsupported_compression_type,
                  std::string("the topic's compression.type is ") + codec_name(target.type) +
                      " but no codec plugin for it is loaded");
    }
  }
  if (!result.rewritten) result.rewritten.emplace(earlier_batches.begin(), earlier_batches.end());
  std::vector<std::uint8_t>& out = *result.rewritten;
  info.position = out.size();
  try {
    append_recompressed_batch(header, records, target, codec, out);
  } catch (const std::exception& e) {
    return fail(ErrorCode::unknown_server_error,
                std::string("re-encoding the batch as ") + codec_name(target.type) + " failed: " + e.what());
  }
  info.size = out.size() - info.position;
  // Kafka checks the stored size again when the broker changed it.
  if (info.size > static_cast<std::size_t>(settings.max_message_bytes)) {
    return fail(ErrorCode::message_too_large, "record batch re-encoded as " +
                                                  std::string(codec_name(target.type)) + " is " +
                                                  std::to_string(info.size) + " bytes, over max.message.bytes " +
                                                  std::to_string(settings.max_message_bytes));
  }
  return std::nullopt;
}

}  // namespace

ValidationResult validate_batches(std::span<std::uint8_t> records, const ValidationSettings& settings,
                                  std::int64_t now_ms) {
  ValidationResult result;
  if (records.empty()) return fail(ErrorCode::corrupt_message, "no record batches");
  std::size_t position = 0;
  while (position < records.size()) {
    auto rest = records.subspan(position);
    auto header = rb::parse_header(rest);
    if (!header) return fail(ErrorCode::corrupt_message, "truncated record batch header");
    if (header->magic != 2) {
      return fail(ErrorCode::unsupported_for_message_format,
                  "record batch magic " + std::to_string(header->magic) + " (only v2 is accepted)");
    }
    if (header->batch_length < kMinBatchLength ||
        static_cast<std::uint64_t>(header->total_size()) > rest.size()) {
      return fail(ErrorCode::corrupt_message, "record batch length " +
                                                  std::to_string(header->batch_length) +
                                                  " does not match the bytes sent");
    }
    auto batch = rest.first(static_cast<std::size_t>(header->total_size()));
    if (header->total_size() > settings.max_message_bytes) {
      return fail(ErrorCode::message_too_large,
                  "record batch of " + std::to_string(header->total_size()) +
                      " bytes exceeds max.message.bytes " + std::to_string(settings.max_message_bytes));
    }
    if (rb::compute_crc(batch) != header->crc) {
      return fail(ErrorCode::corrupt_message, "record batch CRC mismatch");
    }
    if (header->record_count <= 0 || header->last_offset_delta != header->record_count - 1) {
      return fail(ErrorCode::invalid_record, "record batch count and last offset delta disagree");
    }
    if (header->control()) {
      return fail(ErrorCode::invalid_request, "producers may not send control batches");
    }
    ValidatedBatch info;
    info.position = position;
    info.size = batch.size();
    info.last_offset_delta = header->last_offset_delta;
    info.record_count = header->record_count;
    std::span<const std::uint8_t> records_bytes = batch.subspan(rb::kHeaderSize);
    std::vector<std::uint8_t> decompressed;
    if (header->compression() != sdk::CompressionType::none) {
      sdk::Codec* codec = settings.codecs ? settings.codecs->find(header->compression()) : nullptr;
      if (!codec) {
        return fail(ErrorCode::unsupported_compression_type,
                    std::string("no codec plugin for ") + codec_name(header->compression()) + " is loaded");
      }
      try {
        codec->decompress(records_bytes, settings.max_decompressed_bytes, decompressed);
      } catch (const std::exception& e) {
        return fail(ErrorCode::corrupt_message,
                    std::string(codec_name(header->compression())) + " batch does not decompress: " + e.what());
      }
      records_bytes = decompressed;
    }
    if (auto error = check_records(records_bytes, *header, settings, now_ms, info)) return *error;

    if (settings.log_append_time) {
      header->attributes = static_cast<std::int16_t>(header->attributes | rb::kTimestampTypeBit);
      header->max_timestamp = now_ms;
      rb::set_attributes(batch, header->attributes);
      rb::set_max_timestamp(batch, now_ms);
      rb::update_crc(batch);
      info.max_timestamp = now_ms;
      info.max_timestamp_offset_delta = 0;
    }
    const auto& target = settings.compression_target;
    if (target && target->type != header->compression()) {
      if (auto error = recompress(*header, records_bytes, *target, settings, records.first(position), result, info)) {
        return *error;
      }
    } else if (result.rewritten) {
      info.position = result.rewritten->size();
      result.rewritten->insert(result.rewritten->end(), batch.begin(), batch.end());
    }
    result.batches.push_back(info);
    position += batch.size();
  }
  return result;
}

sdk::AppendInfo assign_offsets(std::span<std::uint8_t> records, const ValidationResult& validated,
                               std::int64_t next_offset, std::int32_t leader_epoch) {
  sdk::AppendInfo info;
  info.base_offset = next_offset;
  for (const auto& batch : validated.batches) {
    auto bytes = records.subspan(batch.position, batch.size);
    rb::set_base_offset(bytes, next_offset);
    rb::set_partition_leader_epoch(bytes, leader_epoch);
    if (batch.max_timestamp > info.max_timestamp) {
      info.max_timestamp = batch.max_timestamp;
      info.offset_of_max_timestamp = next_offset + batch.max_timestamp_offset_delta;
    }
    info.record_count += batch.record_count;
    next_offset += batch.last_offset_delta + 1;
  }
  info.last_offset = next_offset - 1;
  return info;
}

}  // namespace brokkr::partition
