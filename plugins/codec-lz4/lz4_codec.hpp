// The `lz4` codec (compression id 3): the LZ4 frame format, with the frame
// header checksum computed as the spec says (Kafka's framing since magic v1;
// the broken v0 header checksum is not supported).
#pragma once

#include "brokkr/sdk/codec.hpp"

namespace brokkr::codecs {

class Lz4Codec final : public sdk::Codec {
 public:
  Lz4Codec() = default;
  explicit Lz4Codec(const sdk::PluginContext& context);

  sdk::CompressionType type() const override { return sdk::CompressionType::lz4; }
  // level: 1..17 as Kafka's compression.lz4.level (1, 2: fast; 3..: HC);
  // nullopt means 9.
  void compress(std::span<const std::uint8_t> input, std::optional<int> level,
                std::vector<std::uint8_t>& output) override;
  void decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                  std::vector<std::uint8_t>& output) override;
};

}  // namespace brokkr::codecs
