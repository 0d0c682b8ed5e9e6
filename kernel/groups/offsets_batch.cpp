#include "groups/offsets_batch.hpp"

#include <stdexcept>
#include <string>

#include "brokkr/sdk/records.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::groups {
namespace rb = sdk::record_batch;

std::vector<std::uint8_t> build_offsets_batch(const std::vector<KeyValue>& records, std::int64_t now_ms) {
  protocol::WireWriter body;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    protocol::WireWriter record;
    record.write_int8(0);     // attributes
    record.write_varlong(0);  // timestamp delta
    record.write_varint(static_cast<std::int32_t>(i));
    record.write_varint(static_cast<std::int32_t>(r.key.size()));
    record.write_raw(r.key);
    if (r.value) {
      record.write_varint(static_cast<std::int32_t>(r.value->size()));
      record.write_raw(*r.value);
    } else {
      record.write_varint(-1);
    }
    record.write_varint(0);  // no headers
    body.write_varint(static_cast<std::int32_t>(record.buffer().size()));
    body.write_raw(record.buffer());
  }
  rb::BatchHeader header;
  header.last_offset_delta = static_cast<std::int32_t>(records.size()) - 1;
  header.base_timestamp = now_ms;
  header.max_timestamp = now_ms;
  header.record_count = static_cast<std::int32_t>(records.size());
  std::vector<std::uint8_t> batch;
  rb::append_batch(header, body.buffer(), batch);
  return batch;
}

void for_each_record(std::span<const std::uint8_t> batch, const rb::BatchHeader& header,
                     const partition::CodecSet* codecs, std::size_t max_decompressed_bytes,
                     const RecordCallback& on_record) {
  std::span<const std::uint8_t> records = batch.subspan(rb::kHeaderSize);
  std::vector<std::uint8_t> decompressed;
  if (header.compression() != sdk::CompressionType::none) {
    sdk::Codec* codec = codecs ? codecs->find(header.compression()) : nullptr;
    if (!codec) {
      throw std::runtime_error(std::string("no codec plugin for ") + partition::codec_name(header.compression()) +
                               " is loaded");
    }
    codec->decompress(records, max_decompressed_bytes, decompressed);
    records = decompressed;
  }
  sdk::records::Cursor cursor(records);
  while (!cursor.done()) {
    sdk::records::Record record = sdk::records::next_record(cursor);
    on_record(header.base_offset + record.offset_delta, record.key, record.value);
  }
}

}  // namespace brokkr::groups
