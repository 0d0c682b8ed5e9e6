#include "partition/legacy_lz4.hpp"

#include <algorithm>

namespace brokkr::partition {
namespace {

constexpr std::uint8_t kFrameMagic[4] = {0x04, 0x22, 0x4D, 0x18};  // 0x184D2204, little endian
constexpr std::uint8_t kContentSizeFlag = 0x08;
constexpr std::uint8_t kDictIdFlag = 0x01;

constexpr std::uint32_t kPrime1 = 0x9E3779B1u;
constexpr std::uint32_t kPrime2 = 0x85EBCA77u;
constexpr std::uint32_t kPrime3 = 0xC2B2AE3Du;
constexpr std::uint32_t kPrime4 = 0x27D4EB2Fu;
constexpr std::uint32_t kPrime5 = 0x165667B1u;

std::uint32_t rotl(std::uint32_t v, int r) { return (v << r) | (v >> (32 - r)); }

// XXH32 with seed 0 for inputs under 16 bytes (a frame descriptor is at
// most 14): the spec's short-input path.
std::uint32_t xxh32_short(std::span<const std::uint8_t> in) {
  std::uint32_t h = kPrime5 + static_cast<std::uint32_t>(in.size());
  std::size_t i = 0;
  for (; i + 4 <= in.size(); i += 4) {
    std::uint32_t word = std::uint32_t{in[i]} | std::uint32_t{in[i + 1]} << 8 |
                         std::uint32_t{in[i + 2]} << 16 | std::uint32_t{in[i + 3]} << 24;
    h = rotl(h + word * kPrime3, 17) * kPrime4;
  }
  for (; i < in.size(); ++i) h = rotl(h + in[i] * kPrime5, 11) * kPrime1;
  h ^= h >> 15;
  h *= kPrime2;
  h ^= h >> 13;
  h *= kPrime3;
  h ^= h >> 16;
  return h;
}

}  // namespace

std::vector<std::uint8_t> with_fixed_lz4_header_checksum(std::span<const std::uint8_t> frame) {
  std::vector<std::uint8_t> out(frame.begin(), frame.end());
  if (frame.size() < 7 || !std::equal(kFrameMagic, kFrameMagic + 4, frame.begin())) return out;
  const std::uint8_t flags = frame[4];
  const std::size_t descriptor = 2 + ((flags & kContentSizeFlag) ? 8 : 0) + ((flags & kDictIdFlag) ? 4 : 0);
  if (frame.size() < 4 + descriptor + 1) return out;
  // The checksum is the second byte of XXH32 over the descriptor (FLG..).
  out[4 + descriptor] = static_cast<std::uint8_t>(xxh32_short(frame.subspan(4, descriptor)) >> 8);
  return out;
}

}  // namespace brokkr::partition
