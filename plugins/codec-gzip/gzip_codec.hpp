// The `gzip` codec (compression id 1): one or more gzip members, as Kafka's
// Java client (GZIPOutputStream) and librdkafka write them.
#pragma once

#include "brokkr/sdk/codec.hpp"

namespace brokkr::codecs {

class GzipCodec final : public sdk::Codec {
 public:
  GzipCodec() = default;
  explicit GzipCodec(const sdk::PluginContext& context);

  sdk::CompressionType type() const override { return sdk::CompressionType::gzip; }
  // level: -1 (zlib's default, 6) or 0..9; nullopt means -1 like Kafka's
  // compression.gzip.level default.
  void compress(std::span<const std::uint8_t> input, std::optional<int> level,
                std::vector<std::uint8_t>& output) override;
  void decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                  std::vector<std::uint8_t>& output) override;
};

}  // namespace brokkr::codecs
