// The `snappy` codec (compression id 2). Kafka clients wrap snappy in the
// snappy-java ("xerial") stream framing; librdkafka and the Java client read
// both that framing and a bare snappy block, and so does this codec.
//
// Xerial framing: magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, int32 BE version,
// int32 BE minimum compatible version, then blocks of int32 BE compressed
// length followed by one raw snappy block.
#pragma once

#include "brokkr/sdk/codec.hpp"

namespace brokkr::codecs {

class SnappyCodec final : public sdk::Codec {
 public:
  // Uncompressed bytes per xerial block (snappy-java's default block size).
  static constexpr std::size_t kBlockSize = 32 * 1024;

  SnappyCodec() = default;
  explicit SnappyCodec(const sdk::PluginContext& context);

  sdk::CompressionType type() const override { return sdk::CompressionType::snappy; }
  // Snappy has no levels: `level` is ignored.
  void compress(std::span<const std::uint8_t> input, std::optional<int> level,
                std::vector<std::uint8_t>& output) override;
  void decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                  std::vector<std::uint8_t>& output) override;
};

}  // namespace brokkr::codecs
