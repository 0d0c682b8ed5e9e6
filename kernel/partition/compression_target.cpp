#include "partition/compression_target.hpp"

namespace brokkr::partition {

std::optional<CompressionTarget> compression_target_from(const std::map<std::string, std::string>& effective) {
  const std::string& type = effective.at("compression.type");
  CompressionTarget target;
  auto level = [&](const char* key) -> std::optional<int> { return std::stoi(effective.at(key)); };
  if (type == "producer") return std::nullopt;
  if (type == "uncompressed") {
    target.type = sdk::CompressionType::none;
  } else if (type == "gzip") {
    target.type = sdk::CompressionType::gzip;
    // Kafka's gzip level -1 is zlib's own default (zstd's -1 is a real level).
    int gzip_level = std::stoi(effective.at("compression.gzip.level"));
    if (gzip_level != -1) target.level = gzip_level;
  } else if (type == "snappy") {
    target.type = sdk::CompressionType::snappy;  // snappy has no levels
  } else if (type == "lz4") {
    target.type = sdk::CompressionType::lz4;
    target.level = level("compression.lz4.level");
  } else if (type == "zstd") {
    target.type = sdk::CompressionType::zstd;
    target.level = level("compression.zstd.level");
  } else {
    return std::nullopt;  // refused by the config schema before it gets here
  }
  return target;
}

void append_recompressed_batch(sdk::record_batch::BatchHeader header, std::span<const std::uint8_t> records,
                               const CompressionTarget& target, sdk::Codec* codec,
                               std::vector<std::uint8_t>& out) {
  namespace rb = sdk::record_batch;
  header.attributes = static_cast<std::int16_t>((header.attributes & ~rb::kCompressionMask) |
                                                static_cast<std::int16_t>(target.type));
  if (target.type == sdk::CompressionType::none) {
    rb::append_batch(header, records, out);
    return;
  }
  std::vector<std::uint8_t> compressed;
  compressed.reserve(records.size() / 2 + 64);
  codec->compress(records, target.level, compressed);
  rb::append_batch(header, compressed, out);
}

}  // namespace brokkr::partition
