#include "records/record_batch_builder.hpp"

#include <algorithm>

#include "brokkr/sdk/record_batch.hpp"
#include "client_plugins.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::client {
namespace {

void write_nullable(protocol::WireWriter& w, const std::optional<std::string>& bytes) {
  if (!bytes) {
    w.write_varint(-1);
    return;
  }
  w.write_varint(static_cast<std::int32_t>(bytes->size()));
  w.write_raw({reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()});
}

}  // namespace

RecordBatchBuilder::RecordBatchBuilder(sdk::CompressionType compression, std::optional<int> level)
    : compression_(compression), level_(level) {}

void RecordBatchBuilder::append(std::int64_t timestamp, const std::optional<std::string>& key,
                                const std::optional<std::string>& value,
                                const std::vector<RecordHeader>& headers) {
  if (count_ == 0) first_timestamp_ = max_timestamp_ = timestamp;
  max_timestamp_ = std::max(max_timestamp_, timestamp);

  protocol::WireWriter body(64 + (value ? value->size() : 0));
  body.write_int8(0);  // record attributes: unused
  body.write_varlong(timestamp - first_timestamp_);
  body.write_varint(count_);  // offset delta
  write_nullable(body, key);
  write_nullable(body, value);
  body.write_varint(static_cast<std::int32_t>(headers.size()));
  for (const auto& header : headers) {
    write_nullable(body, header.key);
    write_nullable(body, header.value);
  }
  protocol::WireWriter length;
  length.write_varint(static_cast<std::int32_t>(body.position()));
  records_.insert(records_.end(), length.buffer().begin(), length.buffer().end());
  records_.insert(records_.end(), body.buffer().begin(), body.buffer().end());
  ++count_;
}

std::vector<std::uint8_t> RecordBatchBuilder::build(std::int64_t producer_id, std::int16_t producer_epoch,
                                                    std::int32_t base_sequence) const {
  namespace rb = sdk::record_batch;
  rb::BatchHeader header;
  header.partition_leader_epoch = -1;
  header.attributes = static_cast<std::int16_t>(compression_);
  header.last_offset_delta = count_ - 1;
  header.base_timestamp = first_timestamp_;
  header.max_timestamp = max_timestamp_;
  header.producer_id = producer_id;
  header.producer_epoch = producer_epoch;
  header.base_sequence = base_sequence;
  header.record_count = count_;
  std::vector<std::uint8_t> out;
  if (compression_ == sdk::CompressionType::none) {
    out.reserve(rb::kHeaderSize + records_.size());
    rb::append_batch(header, records_, out);
  } else {
    std::vector<std::uint8_t> compressed;
    ClientPlugins::instance().codec(compression_).compress(records_, level_, compressed);
    rb::append_batch(header, compressed, out);
  }
  return out;
}

}  // namespace brokkr::client
