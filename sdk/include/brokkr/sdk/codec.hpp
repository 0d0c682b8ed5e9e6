// Compression codecs for Kafka record batches. The codec id is the value of
// the compression bits in a batch's attributes; a codec plugin implements
// exactly the framing real Kafka clients produce for that id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::sdk {

enum class CompressionType : std::int8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One instance serves the whole broker: compress and decompress are called
// concurrently from several handler threads, so they must be thread-safe.
class Codec {
 public:
  virtual ~Codec() = default;
  virtual CompressionType type() const = 0;
  // Appends the compressed form of `input` to `output`. `level` is the
  // codec's own scale; nullopt means the codec's default.
  virtual void compress(std::span<const std::uint8_t> input, std::optional<int> level,
                        std::vector<std::uint8_t>& output) = 0;
  // Appends the decompressed form to `output`; throws CodecError on corrupt
  // input or when the output would exceed `max_output_bytes` (decompression
  // bombs are refused, not allocated).
  virtual void decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                          std::vector<std::uint8_t>& output) = 0;
};

}  // namespace brokkr::sdk
