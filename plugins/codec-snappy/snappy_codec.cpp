#include "snappy_codec.hpp"

#include <snappy.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace brokkr::codecs {
namespace {

constexpr std::array<std::uint8_t, 8> kMagic{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0x00};
constexpr std::size_t kHeaderSize = kMagic.size() + 4 + 4;
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kCompatibleVersion = 1;

[[noreturn]] void fail(const std::string& what) { throw sdk::CodecError("snappy: " + what); }

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

std::uint32_t get_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

bool starts_with_magic(std::span<const std::uint8_t> in) {
  return in.size() >= kHeaderSize && std::equal(kMagic.begin(), kMagic.end(), in.begin());
}

// Decompresses one raw snappy block, appending to `output`. The declared
// length is checked against the remaining budget before anything is allocated.
void raw_block(std::span<const std::uint8_t> block, std::size_t& budget,
               std::vector<std::uint8_t>& output) {
  const auto* src = reinterpret_cast<const char*>(block.data());
  std::size_t length = 0;
  if (block.empty() || !snappy::GetUncompressedLength(src, block.size(), &length)) {
    fail("corrupt block header");
  }
  if (length > budget) {
    fail("decompressed size exceeds the limit (block declares " + std::to_string(length) +
         " bytes)");
  }
  const std::size_t at = output.size();
  output.resize(at + length);
  if (!snappy::RawUncompress(src, block.size(), reinterpret_cast<char*>(output.data() + at))) {
    fail("corrupt block");
  }
  budget -= length;
}

}  // namespace

SnappyCodec::SnappyCodec(const sdk::PluginContext& context) {
  context.config.reject_unknown_keys({});
}

void SnappyCodec::compress(std::span<const std::uint8_t> input, std::optional<int> /*level*/,
                           std::vector<std::uint8_t>& output) {
  output.insert(output.end(), kMagic.begin(), kMagic.end());
  put_be32(output, kVersion);
  put_be32(output, kCompatibleVersion);
  for (std::size_t pos = 0; pos < input.size(); pos += kBlockSize) {
    const std::size_t n = std::min(kBlockSize, input.size() - pos);
    const std::size_t length_at = output.size();
    output.resize(length_at + 4 + snappy::MaxCompressedLength(n));
    std::size_t written = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(input.data() + pos), n,
                        reinterpret_cast<char*>(output.data() + length_at + 4), &written);
    output.resize(length_at + 4 + written);
    const auto w = static_cast<std::uint32_t>(written);
    output[length_at] = static_cast<std::uint8_t>(w >> 24);
    output[length_at + 1] = static_cast<std::uint8_t>(w >> 16);
    output[length_at + 2] = static_cast<std::uint8_t>(w >> 8);
    output[length_at + 3] = static_cast<std::uint8_t>(w);
  }
}

void SnappyCodec::decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                             std::vector<std::uint8_t>& output) {
  const std::size_t start = output.size();
  std::size_t budget = max_output_bytes;
  try {
    if (!starts_with_magic(input)) {
      raw_block(input, budget, output);  // a bare snappy block
      return;
    }
    std::size_t pos = 0;
    while (pos < input.size()) {
      const auto rest = input.subspan(pos);
      // snappy-java reads concatenated streams: a header may follow a block.
      if (starts_with_magic(rest)) {
        if (get_be32(rest.data() + kMagic.size() + 4) > kVersion) {
          fail("unsupported xerial stream version");
        }
        pos += kHeaderSize;
        continue;
      }
      if (rest.size() < 4) fail("truncated block length");
      const std::uint32_t length = get_be32(rest.data());
      if (length == 0 || length > 0x7fffffffu) fail("corrupt block length");
      if (length > rest.size() - 4) fail("truncated block");
      raw_block(rest.subspan(4, length), budget, output);
      pos += 4 + std::size_t{length};
    }
  } catch (...) {
    output.resize(start);
    throw;
  }
}

}  // namespace brokkr::codecs
