// Builds and reads legacy message sets (magic 0 and 1) for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "brokkr/sdk/codec.hpp"
#include "protocol/legacy_message_set.hpp"

namespace brokkr::test {

using Bytes = std::vector<std::uint8_t>;

struct LegacySpec {
  std::int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::int64_t timestamp = -1;
  std::int8_t attributes = 0;
};

inline std::optional<std::span<const std::uint8_t>> as_bytes(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s->data()), s->size());
}

inline std::optional<std::string> as_string(const std::optional<std::span<const std::uint8_t>>& b) {
  if (!b) return std::nullopt;
  return std::string(b->begin(), b->end());
}

inline Bytes legacy_set(std::int8_t magic, const std::vector<LegacySpec>& specs) {
  Bytes out;
  for (const auto& s : specs) {
    protocol::legacy::Message m;
    m.offset = s.offset;
    m.magic = magic;
    m.attributes = s.attributes;
    m.timestamp = s.timestamp;
    m.key = as_bytes(s.key);
    m.value = as_bytes(s.value);
    protocol::legacy::append_message(m, out);
  }
  return out;
}

// A compressed wrapper message holding `inner` (a whole message set)
// compressed with `codec`; `extra_attributes` adds e.g. the LogAppendTime bit.
inline Bytes legacy_wrapper(std::int8_t magic, std::int64_t offset, sdk::Codec& codec, const Bytes& inner,
                            std::int64_t timestamp = -1, std::int8_t extra_attributes = 0) {
  Bytes compressed;
  codec.compress(inner, std::nullopt, compressed);
  protocol::legacy::Message m;
  m.offset = offset;
  m.magic = magic;
  m.attributes = static_cast<std::int8_t>(static_cast<int>(codec.type()) | extra_attributes);
  m.timestamp = timestamp;
  m.value = std::span<const std::uint8_t>(compressed);
  Bytes out;
  protocol::legacy::append_message(m, out);
  return out;
}

// What a legacy message says, owning its bytes (for comparisons).
struct LegacyView {
  std::int64_t offset;
  std::int8_t magic;
  std::int8_t attributes;
  std::int64_t timestamp;
  std::optional<std::string> key;
  std::optional<std::string> value;
  bool operator==(const LegacyView&) const = default;
};

inline std::vector<LegacyView> read_legacy(std::span<const std::uint8_t> set) {
  std::vector<LegacyView> out;
  for (const auto& m : protocol::legacy::parse_message_set(set)) {
    out.push_back({m.offset, m.magic, m.attributes, m.timestamp, as_string(m.key), as_string(m.value)});
  }
  return out;
}

}  // namespace brokkr::test
