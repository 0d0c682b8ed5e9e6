#include "protocol/uuid.hpp"

#include <random>

namespace brokkr::protocol {

namespace {
constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}
}  // namespace

std::string Uuid::to_base64() const {
  std::string out;
  out.reserve(22);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  // 16 = 5 * 3 + 1: one byte left -> two characters, no padding.
  uint32_t v = uint32_t{bytes[i]} << 16;
  out.push_back(kAlphabet[(v >> 18) & 63]);
  out.push_back(kAlphabet[(v >> 12) & 63]);
  return out;
}

std::optional<Uuid> Uuid::from_base64(std::string_view text) {
  if (text.size() != 22) return std::nullopt;
  Uuid u;
  size_t out = 0;
  size_t i = 0;
  for (; i + 4 <= 20; i += 4) {
    int a = decode_char(text[i]), b = decode_char(text[i + 1]);
    int c = decode_char(text[i + 2]), d = decode_char(text[i + 3]);
    if (a < 0 || b < 0 || c < 0 || d < 0) return std::nullopt;
    uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    u.bytes[out++] = uint8_t(v >> 16);
    u.bytes[out++] = uint8_t(v >> 8);
    u.bytes[out++] = uint8_t(v);
  }
  int a = decode_char(text[20]), b = decode_char(text[21]);
  if (a < 0 || b < 0) return std::nullopt;
  if ((b & 0x0f) != 0) return std::nullopt;  // non-canonical trailing bits
  u.bytes[out] = uint8_t((a << 2) | (b >> 4));
  return u;
}

Uuid Uuid::random() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  for (;;) {
    Uuid u;
    for (size_t i = 0; i < 16; i += 8) {
      uint64_t v = engine();
      for (size_t j = 0; j < 8; ++j) u.bytes[i + j] = uint8_t(v >> (8 * j));
    }
    u.bytes[6] = uint8_t((u.bytes[6] & 0x0f) | 0x40);  // version 4
    u.bytes[8] = uint8_t((u.bytes[8] & 0x3f) | 0x80);  // IETF variant
    // The first base64 character is '-' when the top 6 bits are 62.
    if ((u.bytes[0] >> 2) == 62) continue;
    return u;
  }
}

}  // namespace brokkr::protocol
