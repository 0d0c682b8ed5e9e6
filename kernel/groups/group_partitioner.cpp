#include "groups/group_partitioner.hpp"

#include <limits>

namespace brokkr::groups {
namespace {

constexpr std::uint32_t kReplacement = 0xFFFD;

struct Hasher {
  std::uint32_t h = 0;  // unsigned: Java's int arithmetic wraps
  void unit(std::uint32_t u) { h = 31 * h + u; }
  void code_point(std::uint32_t cp) {
    if (cp < 0x10000) return unit(cp);
    cp -= 0x10000;
    unit(0xD800 + (cp >> 10));
    unit(0xDC00 + (cp & 0x3FF));
  }
};

}  // namespace

std::int32_t java_string_hash(std::string_view utf8) {
  Hasher hasher;
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char b = s[i];
    if (b < 0x80) {
      hasher.unit(b);
      ++i;
      continue;
    }
    int need = 0;
    std::uint32_t cp = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the next byte
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2, cp = b & 0x0F;
      if (b == 0xE0) lo = 0xA0;  // no overlong forms
      if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3, cp = b & 0x07;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
      hasher.unit(kReplacement);  // a stray continuation or an impossible byte
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    int got = 0;
    while (got < need && j < n && s[j] >= lo && s[j] <= hi) {
      cp = (cp << 6) | (s[j] & 0x3F);
      lo = 0x80, hi = 0xBF;
      ++j, ++got;
    }
    // A truncated sequence is one U+FFFD for the bytes it had (the
    // "maximal subpart" rule Java's decoder follows).
    if (got < need) {
      hasher.unit(kReplacement);
    } else {
      hasher.code_point(cp);
    }
    i = j;
  }
  return static_cast<std::int32_t>(hasher.h);
}

std::int32_t offsets_partition_for(std::string_view group_id, std::int32_t partitions) {
  std::int32_t hash = java_string_hash(group_id);
  std::int32_t positive = hash == std::numeric_limits<std::int32_t>::min() ? 0 : (hash < 0 ? -hash : hash);
  return partitions > 0 ? positive % partitions : 0;
}

}  // namespace brokkr::groups
