// CRC-32C (Castagnoli), the checksum of Kafka record batches. Uses the
// SSE4.2 instruction when the CPU has it, a table otherwise.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace brokkr::sdk::crc32c {
namespace detail {

inline const std::array<std::uint32_t, 256>& table() {
  static const std::array<std::uint32_t, 256> t = [] {
    std::array<std::uint32_t, 256> out{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      out[i] = c;
    }
    return out;
  }();
  return t;
}

inline std::uint32_t extend_portable(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  const auto& t = table();
  while (n--) crc = t[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) inline std::uint32_t extend_sse42(std::uint32_t crc,
                                                                     const std::uint8_t* p,
                                                                     std::size_t n) {
  std::uint64_t c = crc;
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    c = __builtin_ia32_crc32di(c, word);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return c32;
}
#endif

}  // namespace detail

// Continues a CRC over more bytes: crc = extend(extend(0, a), b) == value(a + b).
inline std::uint32_t extend(std::uint32_t crc, std::span<const std::uint8_t> data) {
  crc = ~crc;
#if defined(__x86_64__)
  static const bool hardware = __builtin_cpu_supports("sse4.2");
  if (hardware) return ~detail::extend_sse42(crc, data.data(), data.size());
#endif
  return ~detail::extend_portable(crc, data.data(), data.size());
}

inline std::uint32_t value(std::span<const std::uint8_t> data) { return extend(0, data); }

}  // namespace brokkr::sdk::crc32c
