#include "batch_records.hpp"

namespace brokkr::segment {

namespace rb = sdk::record_batch;

sdk::Codec* batch_codec(const rb::BatchHeader& header, const sdk::CodecAccess& codecs) {
  if (header.compression() == sdk::CompressionType::none || !codecs.find) return nullptr;
  return codecs.find(header.compression());
}

std::optional<std::span<const std::uint8_t>> batch_records(std::span<const std::uint8_t> batch,
                                                           const rb::BatchHeader& header,
                                                           const sdk::CodecAccess& codecs,
                                                           std::vector<std::uint8_t>& buffer) {
  auto records = batch.subspan(rb::kHeaderSize);
  if (header.compression() == sdk::CompressionType::none) return records;
  sdk::Codec* codec = batch_codec(header, codecs);
  if (!codec) return std::nullopt;
  buffer.clear();
  try {
    codec->decompress(records, codecs.max_decompressed_bytes, buffer);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return std::span<const std::uint8_t>(buffer);
}

}  // namespace brokkr::segment
