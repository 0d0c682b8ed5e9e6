#include "protocol/wire_reader.hpp"

#include <cstring>
#include <limits>

namespace brokkr::protocol {

namespace {
// Kafka refuses strings longer than Short.MAX_VALUE bytes in either form.
constexpr uint32_t kMaxReadStringLength = 0x7fff;
}  // namespace

void WireReader::fail(const std::string& message) { throw DecodeError(message); }

void WireReader::need(size_t n) const {
  if (n > remaining()) {
    fail("truncated input: need " + std::to_string(n) + " bytes at offset " +
         std::to_string(pos_) + ", " + std::to_string(remaining()) + " left");
  }
}

std::span<const uint8_t> WireReader::read_raw(size_t n) {
  need(n);
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

int8_t WireReader::read_int8() {
  need(1);
  return static_cast<int8_t>(data_[pos_++]);
}

uint16_t WireReader::read_uint16() {
  need(2);
  uint16_t v = static_cast<uint16_t>((uint16_t{data_[pos_]} << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

int16_t WireReader::read_int16() { return static_cast<int16_t>(read_uint16()); }

uint32_t WireReader::read_uint32() {
  need(4);
  uint32_t v = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
               (uint32_t{data_[pos_ + 2]} << 8) | uint32_t{data_[pos_ + 3]};
  pos_ += 4;
  return v;
}

int32_t WireReader::read_int32() { return static_cast<int32_t>(read_uint32()); }

int64_t WireReader::read_int64() {
  need(8);
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += 8;
  return static_cast<int64_t>(v);
}

double WireReader::read_float64() {
  uint64_t bits = static_cast<uint64_t>(read_int64());
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

bool WireReader::read_bool() { return read_int8() != 0; }

uint32_t WireReader::read_unsigned_varint() {
  uint32_t value = 0;
  for (int i = 0; i < 5; ++i) {
    need(1);
    uint8_t b = data_[pos_++];
    if (i == 4 && (b & 0xf0) != 0) fail("unsigned varint does not fit in 32 bits");
    value |= uint32_t(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) return value;
  }
  fail("unsigned varint longer than 5 bytes");
}

uint64_t WireReader::read_unsigned_varlong() {
  uint64_t value = 0;
  for (int i = 0; i < 10; ++i) {
    need(1);
    uint8_t b = data_[pos_++];
    if (i == 9 && (b & 0xfe) != 0) fail("unsigned varlong does not fit in 64 bits");
    value |= uint64_t(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) return value;
  }
  fail("varlong longer than 10 bytes");
}

int32_t WireReader::read_varint() {
  uint32_t raw = read_unsigned_varint();
  return static_cast<int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

int64_t WireReader::read_varlong() {
  uint64_t raw = read_unsigned_varlong();
  return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

Uuid WireReader::read_uuid() {
  auto raw = read_raw(16);
  Uuid u;
  std::memcpy(u.bytes.data(), raw.data(), 16);
  return u;
}

namespace {
std::string bytes_to_string(std::span<const uint8_t> raw) {
  return std::string(reinterpret_cast<const char*>(raw.data()), raw.size());
}
}  // namespace

std::optional<std::string> WireReader::read_nullable_string() {
  int16_t len = read_int16();
  if (len == -1) return std::nullopt;
  if (len < 0) fail("negative string length " + std::to_string(len));
  return bytes_to_string(read_raw(static_cast<size_t>(len)));
}

std::string WireReader::read_string() {
  auto s = read_nullable_string();
  if (!s) fail("null string where a non-nullable string is required");
  return std::move(*s);
}

std::optional<std::string> WireReader::read_compact_nullable_string() {
  uint32_t v = read_unsigned_varint();
  if (v == 0) return std::nullopt;
  uint32_t len = v - 1;
  if (len > kMaxReadStringLength) fail("compact string length " + std::to_string(len) + " exceeds 32767");
  return bytes_to_string(read_raw(len));
}

std::string WireReader::read_compact_string() {
  auto s = read_compact_nullable_string();
  if (!s) fail("null compact string where a non-nullable string is required");
  return std::move(*s);
}

std::optional<std::vector<uint8_t>> WireReader::read_nullable_bytes() {
  int32_t len = read_int32();
  if (len == -1) return std::nullopt;
  if (len < 0) fail("negative bytes length " + std::to_string(len));
  auto raw = read_raw(static_cast<size_t>(len));
  return std::vector<uint8_t>(raw.begin(), raw.end());
}

std::vector<uint8_t> WireReader::read_bytes() {
  auto b = read_nullable_bytes();
  if (!b) fail("null bytes where non-nullable bytes are required");
  return std::move(*b);
}

std::optional<std::vector<uint8_t>> WireReader::read_compact_nullable_bytes() {
  uint32_t v = read_unsigned_varint();
  if (v == 0) return std::nullopt;
  auto raw = read_raw(v - 1);
  return std::vector<uint8_t>(raw.begin(), raw.end());
}

std::vector<uint8_t> WireReader::read_compact_bytes() {
  auto b = read_compact_nullable_bytes();
  if (!b) fail("null compact bytes where non-nullable bytes are required");
  return std::move(*b);
}

void WireReader::expect_end(const char* what) const {
  if (remaining() != 0) {
    fail(std::string(what) + ": " + std::to_string(remaining()) + " unexpected trailing bytes");
  }
}

std::string WireReader::read_string_field(bool compact) {
  return compact ? read_compact_string() : read_string();
}

std::optional<std::string> WireReader::read_nullable_string_field(bool compact, bool nullable) {
  auto s = compact ? read_compact_nullable_string() : read_nullable_string();
  if (!s && !nullable) fail("null string in a version where the field is not nullable");
  return s;
}

std::vector<uint8_t> WireReader::read_bytes_field(bool compact) {
  return compact ? read_compact_bytes() : read_bytes();
}

std::optional<std::vector<uint8_t>> WireReader::read_nullable_bytes_field(bool compact, bool nullable) {
  auto b = compact ? read_compact_nullable_bytes() : read_nullable_bytes();
  if (!b && !nullable) fail("null bytes in a version where the field is not nullable");
  return b;
}

int32_t WireReader::read_array_length(bool compact, bool nullable, size_t min_element_size) {
  int64_t count;
  if (compact) {
    count = static_cast<int64_t>(read_unsigned_varint()) - 1;
  } else {
    count = read_int32();
    if (count < -1) fail("negative array length " + std::to_string(count));
  }
  if (count == -1) {
    if (!nullable) fail("null array in a version where the field is not nullable");
    return -1;
  }
  if (count > std::numeric_limits<int32_t>::max()) fail("array length does not fit in 32 bits");
  if (min_element_size == 0) min_element_size = 1;
  if (static_cast<uint64_t>(count) > remaining() / min_element_size) {
    fail("array length " + std::to_string(count) + " exceeds the " + std::to_string(remaining()) +
         " remaining bytes");
  }
  return static_cast<int32_t>(count);
}

bool WireReader::read_struct_marker(bool nullable) {
  if (!nullable) return true;
  int8_t marker = read_int8();
  if (marker == -1) return false;
  if (marker == 1) return true;
  fail("invalid nullable struct marker " + std::to_string(marker));
}

uint32_t WireReader::read_tagged_field_count() {
  uint32_t n = read_unsigned_varint();
  // Each tagged field takes at least two bytes (tag and size).
  if (n > remaining() / 2) {
    fail("tagged field count " + std::to_string(n) + " exceeds the remaining bytes");
  }
  return n;
}

WireReader::RawTaggedField WireReader::read_tagged_field(int64_t& previous_tag) {
  uint32_t tag = read_unsigned_varint();
  if (static_cast<int64_t>(tag) <= previous_tag) {
    fail("tagged field " + std::to_string(tag) + " is out of order or duplicated");
  }
  previous_tag = tag;
  uint32_t size = read_unsigned_varint();
  return RawTaggedField{tag, read_raw(size)};
}

void check_decode_version(int16_t version, int16_t lowest, int16_t highest, const char* type) {
  if (version < lowest || version > highest) {
    throw DecodeError(std::string("cannot decode ") + type + " at unsupported version " +
                      std::to_string(version));
  }
}

}  // namespace brokkr::protocol
