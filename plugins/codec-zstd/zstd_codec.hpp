// The `zstd` codec (compression id 4): one or more zstd frames. Frames need
// not declare their content size, so decompression streams, bounded by the
// caller's limit.
#pragma once

#include "brokkr/sdk/codec.hpp"

namespace brokkr::codecs {

class ZstdCodec final : public sdk::Codec {
 public:
  ZstdCodec() = default;
  explicit ZstdCodec(const sdk::PluginContext& context);

  sdk::CompressionType type() const override { return sdk::CompressionType::zstd; }
  // level: ZSTD_minCLevel()..ZSTD_maxCLevel() (Kafka's compression.zstd.level
  // range); nullopt means 3.
  void compress(std::span<const std::uint8_t> input, std::optional<int> level,
                std::vector<std::uint8_t>& output) override;
  void decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                  std::vector<std::uint8_t>& output) override;
};

}  // namespace brokkr::codecs
