#include "protocol/legacy_message_set.hpp"

#include <zlib.h>

#include <algorithm>
#include <string>

#include "protocol/decode_error.hpp"
#include "protocol/wire_reader.hpp"

namespace brokkr::protocol::legacy {
namespace {

// crc, magic, attributes, key length, value length (+ timestamp in magic 1).
constexpr std::size_t kMinMessageSizeV0 = 4 + 1 + 1 + 4 + 4;
constexpr std::size_t kMinMessageSizeV1 = kMinMessageSizeV0 + 8;

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::optional<std::span<const std::uint8_t>> read_legacy_bytes(WireReader& r, const char* what) {
  std::int32_t n = r.read_int32();
  if (n == -1) return std::nullopt;
  if (n < 0) throw DecodeError(std::string("legacy message ") + what + " length " + std::to_string(n));
  return r.read_raw(static_cast<std::size_t>(n));  // throws when n lies
}

void put_legacy_bytes(std::vector<std::uint8_t>& out, const std::optional<std::span<const std::uint8_t>>& b) {
  if (!b) return put_be(out, static_cast<std::uint32_t>(-1), 4);
  put_be(out, b->size(), 4);
  out.insert(out.end(), b->begin(), b->end());
}

Message parse_message(std::int64_t offset, std::span<const std::uint8_t> body) {
  WireReader r(body);
  std::uint32_t crc = r.read_uint32();
  Message m;
  m.offset = offset;
  m.magic = r.read_int8();
  if (m.magic != 0 && m.magic != 1) {
    throw DecodeError("legacy message magic " + std::to_string(m.magic) + " (0 or 1 expected)");
  }
  if (m.magic == 1 && body.size() < kMinMessageSizeV1) throw DecodeError("legacy message too short");
  if (crc32(body.subspan(4)) != crc) throw DecodeError("legacy message CRC mismatch");
  m.attributes = r.read_int8();
  if (m.magic == 1) m.timestamp = r.read_int64();
  m.key = read_legacy_bytes(r, "key");
  m.value = read_legacy_bytes(r, "value");
  r.expect_end("legacy message");
  return m;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed large inputs in pieces.
  while (!bytes.empty()) {
    auto n = static_cast<uInt>(std::min<std::size_t>(bytes.size(), 1u << 30));
    crc = ::crc32(crc, bytes.data(), n);
    bytes = bytes.subspan(n);
  }
  return static_cast<std::uint32_t>(crc);
}

std::size_t entry_size(std::int8_t magic, std::size_t key_bytes, std::size_t value_bytes) {
  return kLogOverhead + (magic >= 1 ? kMinMessageSizeV1 : kMinMessageSizeV0) + key_bytes + value_bytes;
}

std::vector<Message> parse_message_set(std::span<const std::uint8_t> set) {
  std::vector<Message> out;
  WireReader r(set);
  while (r.remaining() > 0) {
    if (r.remaining() < kLogOverhead) throw DecodeError("truncated legacy message header");
    std::int64_t offset = r.read_int64();
    std::int32_t size = r.read_int32();
    if (size < static_cast<std::int32_t>(kMinMessageSizeV0)) {
      throw DecodeError("legacy message size " + std::to_string(size));
    }
    if (static_cast<std::size_t>(size) > r.remaining()) {
      throw DecodeError("legacy message size " + std::to_string(size) + " beyond the " +
                        std::to_string(r.remaining()) + " bytes sent");
    }
    out.push_back(parse_message(offset, r.read_raw(static_cast<std::size_t>(size))));
  }
  return out;
}

void append_message(const Message& message, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  put_be(out, static_cast<std::uint64_t>(message.offset), 8);
  put_be(out, 0, 4);  // size, below
  put_be(out, 0, 4);  // crc, below
  out.push_back(static_cast<std::uint8_t>(message.magic));
  out.push_back(static_cast<std::uint8_t>(message.attributes));
  if (message.magic >= 1) put_be(out, static_cast<std::uint64_t>(message.timestamp), 8);
  put_legacy_bytes(out, message.key);
  put_legacy_bytes(out, message.value);
  std::uint8_t* entry = out.data() + start;
  std::size_t size = out.size() - start - kLogOverhead;
  std::uint32_t crc = crc32(std::span<const std::uint8_t>(out).subspan(start + kLogOverhead + 4));
  for (int i = 0; i < 4; ++i) {
    entry[8 + i] = static_cast<std::uint8_t>(size >> (8 * (3 - i)));
    entry[12 + i] = static_cast<std::uint8_t>(crc >> (8 * (3 - i)));
  }
}

}  // namespace brokkr::protocol::legacy
