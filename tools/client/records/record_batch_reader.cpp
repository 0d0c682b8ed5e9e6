#include "records/record_batch_reader.hpp"

#include "brokkr/sdk/record_batch.hpp"
#include "client_error.hpp"
#include "client_plugins.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/wire_reader.hpp"

namespace brokkr::client {
namespace {

// Decompressed records of one batch may not exceed this.
constexpr std::size_t kMaxDecompressedBytes = std::size_t(1) << 30;

std::optional<std::string> read_nullable(protocol::WireReader& r) {
  auto length = r.read_varint();
  if (length < 0) return std::nullopt;
  auto bytes = r.read_raw(static_cast<std::size_t>(length));
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void decode_records(std::span<const std::uint8_t> section, const sdk::record_batch::BatchHeader& header,
                    const std::string& topic, std::int32_t partition, std::int64_t fetch_offset,
                    std::vector<ConsumerRecord>& out) {
  protocol::WireReader r(section);
  for (std::int32_t i = 0; i < header.record_count; ++i) {
    auto length = r.read_varint();
    if (length < 0 || static_cast<std::size_t>(length) > r.remaining()) {
      throw protocol::DecodeError("record length out of range");
    }
    protocol::WireReader rec(r.read_raw(static_cast<std::size_t>(length)));
    ConsumerRecord record;
    record.topic = topic;
    record.partition = partition;
    rec.read_int8();  // attributes
    auto timestamp_delta = rec.read_varlong();
    record.offset = header.base_offset + rec.read_varint();
    record.leader_epoch = header.partition_leader_epoch;
    if (header.log_append_time()) {
      record.timestamp = header.max_timestamp;
      record.timestamp_type = TimestampType::log_append_time;
    } else {
      record.timestamp = header.base_timestamp + timestamp_delta;
    }
    record.key = read_nullable(rec);
    record.value = read_nullable(rec);
    auto header_count = rec.read_varint();
    for (std::int32_t h = 0; h < header_count; ++h) {
      auto key = read_nullable(rec);
      record.headers.push_back(RecordHeader{key.value_or(""), read_nullable(rec)});
    }
    // Batches hold whole batches: records before the fetch offset are skipped.
    if (record.offset >= fetch_offset) out.push_back(std::move(record));
  }
}

}  // namespace

DecodedRecords decode_record_batches(std::span<const std::uint8_t> bytes, const std::string& topic,
                                     std::int32_t partition, std::int64_t fetch_offset) {
  namespace rb = sdk::record_batch;
  DecodedRecords out;
  std::size_t pos = 0;
  while (bytes.size() - pos >= rb::kHeaderSize) {
    auto whole = bytes.subspan(pos);
    auto header = rb::parse_header(whole);
    if (header->batch_length < 0) break;
    if (static_cast<std::size_t>(header->total_size()) > whole.size()) break;  // partial batch
    auto batch = whole.first(static_cast<std::size_t>(header->total_size()));
    pos += batch.size();
    const std::string where = topic + "-" + std::to_string(partition) + " at offset " +
                              std::to_string(header->base_offset);
    if (header->magic != 2) throw ClientError("Record batch of " + where + " has magic " + std::to_string(header->magic) + ", expected 2");
    if (!rb::crc_matches(batch)) throw ClientError("Record batch of " + where + " is corrupt (CRC mismatch)");
    out.next_offset = header->last_offset() + 1;
    if (header->control()) continue;  // transaction markers carry no user records
    auto section = batch.subspan(rb::kHeaderSize);
    try {
      if (header->compression() == sdk::CompressionType::none) {
        decode_records(section, *header, topic, partition, fetch_offset, out.records);
      } else {
        std::vector<std::uint8_t> plain;
        ClientPlugins::instance().codec(header->compression()).decompress(section, kMaxDecompressedBytes, plain);
        decode_records(plain, *header, topic, partition, fetch_offset, out.records);
      }
    } catch (const protocol::DecodeError& e) {
      throw ClientError("Record batch of " + where + " is corrupt: " + e.what());
    } catch (const sdk::CodecError& e) {
      throw ClientError("Record batch of " + where + " cannot be decompressed: " + e.what());
    }
  }
  return out;
}

}  // namespace brokkr::client
