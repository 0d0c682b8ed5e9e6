// The `gzip-isal` codec (compression id 1) on Intel ISA-L's igzip: writes
// one standard gzip member (RFC 1952) and reads one or more, like the zlib
// `gzip` plugin, several times faster. Load it instead of `gzip`, not beside
// it: two plugins for one codec id are refused at start.
#pragma once

#include "brokkr/sdk/codec.hpp"

namespace brokkr::codecs {

class IsalGzipCodec final : public sdk::Codec {
 public:
  IsalGzipCodec() = default;
  explicit IsalGzipCodec(const sdk::PluginContext& context);

  sdk::CompressionType type() const override { return sdk::CompressionType::gzip; }
  // level: Kafka's compression.gzip.level (-1 or 0..9, zlib's scale), mapped
  // onto ISA-L's 0..3 (see isal_level.cpp); nullopt means -1.
  void compress(std::span<const std::uint8_t> input, std::optional<int> level,
                std::vector<std::uint8_t>& output) override;
  void decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                  std::vector<std::uint8_t>& output) override;
};

}  // namespace brokkr::codecs
