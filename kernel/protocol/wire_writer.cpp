#include "protocol/wire_writer.hpp"

#include <cstring>
#include <stdexcept>


namespace brokkr::protocol {

namespace {
constexpr size_t kMaxWriteStringLength = 0x7fff;
}  // namespace

void WireWriter::fail(const std::string& message) { throw std::invalid_argument(message); }

void WireWriter::patch_int32(size_t pos, int32_t v) {
  if (pos > buf_.size() || buf_.size() - pos < 4) fail("patch_int32 position out of range");
  uint32_t u = static_cast<uint32_t>(v);
  buf_[pos] = uint8_t(u >> 24);
  buf_[pos + 1] = uint8_t(u >> 16);
  buf_[pos + 2] = uint8_t(u >> 8);
  buf_[pos + 3] = uint8_t(u);
}

void WireWriter::write_raw(std::span<const uint8_t> bytes) {
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void WireWriter::write_uint16(uint16_t v) {
  buf_.push_back(uint8_t(v >> 8));
  buf_.push_back(uint8_t(v));
}

void WireWriter::write_uint32(uint32_t v) {
  uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
  buf_.insert(buf_.end(), b, b + 4);
}

void WireWriter::write_int64(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(u >> (56 - 8 * i));
  buf_.insert(buf_.end(), b, b + 8);
}

void WireWriter::write_float64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  write_int64(static_cast<int64_t>(bits));
}

void WireWriter::write_unsigned_varint(uint32_t v) {
  while (v >= 0x80) {
    buf_.push_back(uint8_t((v & 0x7f) | 0x80));
    v >>= 7;
  }
  buf_.push_back(uint8_t(v));
}

void WireWriter::write_unsigned_varlong(uint64_t v) {
  while (v >= 0x80) {
    buf_.push_back(uint8_t((v & 0x7f) | 0x80));
    v >>= 7;
  }
  buf_.push_back(uint8_t(v));
}

void WireWriter::write_varint(int32_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  write_unsigned_varint((u << 1) ^ (v < 0 ? 0xffffffffu : 0u));
}

void WireWriter::write_varlong(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  write_unsigned_varlong((u << 1) ^ (v < 0 ? ~uint64_t{0} : uint64_t{0}));
}

namespace {
std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
}  // namespace

void WireWriter::write_string(std::string_view s) {
  if (s.size() > kMaxWriteStringLength) fail("string longer than 32767 bytes");
  write_int16(static_cast<int16_t>(s.size()));
  write_raw(as_bytes(s));
}

void WireWriter::write_nullable_string(const std::optional<std::string>& s) {
  if (!s) {
    write_int16(-1);
  } else {
    write_string(*s);
  }
}

void WireWriter::write_compact_string(std::string_view s) {
  if (s.size() > kMaxWriteStringLength) fail("string longer than 32767 bytes");
  write_unsigned_varint(static_cast<uint32_t>(s.size() + 1));
  write_raw(as_bytes(s));
}

void WireWriter::write_compact_nullable_string(const std::optional<std::string>& s) {
  if (!s) {
    write_unsigned_varint(0);
  } else {
    write_compact_string(*s);
  }
}

void WireWriter::write_bytes(std::span<const uint8_t> b) {
  if (b.size() > 0x7fffffffu) fail("bytes longer than 2^31-1");
  write_int32(static_cast<int32_t>(b.size()));
  write_raw(b);
}

void WireWriter::write_nullable_bytes(const std::optional<std::vector<uint8_t>>& b) {
  if (!b) {
    write_int32(-1);
  } else {
    write_bytes(*b);
  }
}

void WireWriter::write_compact_bytes(std::span<const uint8_t> b) {
  if (b.size() >= 0xffffffffu) fail("bytes longer than 2^32-2");
  write_unsigned_varint(static_cast<uint32_t>(b.size() + 1));
  write_raw(b);
}

void WireWriter::write_compact_nullable_bytes(const std::optional<std::vector<uint8_t>>& b) {
  if (!b) {
    write_unsigned_varint(0);
  } else {
    write_compact_bytes(*b);
  }
}

void WireWriter::write_string_field(std::string_view s, bool compact) {
  if (compact) {
    write_compact_string(s);
  } else {
    write_string(s);
  }
}

void WireWriter::write_nullable_string_field(const std::optional<std::string>& s, bool compact,
                                             bool nullable, const char* field) {
  if (!s && !nullable) fail(std::string("non-nullable field ") + field + " is null");
  if (compact) {
    write_compact_nullable_string(s);
  } else {
    write_nullable_string(s);
  }
}

void WireWriter::write_bytes_field(std::span<const uint8_t> b, bool compact) {
  if (compact) {
    write_compact_bytes(b);
  } else {
    write_bytes(b);
  }
}

void WireWriter::write_nullable_bytes_field(const std::optional<std::vector<uint8_t>>& b,
                                            bool compact, bool nullable, const char* field) {
  if (!b && !nullable) fail(std::string("non-nullable field ") + field + " is null");
  if (compact) {
    write_compact_nullable_bytes(b);
  } else {
    write_nullable_bytes(b);
  }
}

void WireWriter::write_array_length(size_t n, bool compact) {
  if (n > 0x7fffffffu) fail("array longer than 2^31-1 elements");
  if (compact) {
    write_unsigned_varint(static_cast<uint32_t>(n + 1));
  } else {
    write_int32(static_cast<int32_t>(n));
  }
}

void WireWriter::write_null_array(bool compact, bool nullable, const char* field) {
  if (!nullable) fail(std::string("non-nullable field ") + field + " is null");
  if (compact) {
    write_unsigned_varint(0);
  } else {
    write_int32(-1);
  }
}

bool WireWriter::write_struct_marker(bool present, bool nullable, const char* field) {
  if (nullable) {
    write_int8(present ? 1 : -1);
  } else if (!present) {
    fail(std::string("non-nullable field ") + field + " is null");
  }
  return present;
}

void WireWriter::write_tagged_field(uint32_t tag, std::span<const uint8_t> data) {
  if (data.size() > 0xffffffffu) fail("tagged field too large");
  write_unsigned_varint(tag);
  write_unsigned_varint(static_cast<uint32_t>(data.size()));
  write_raw(data);
}

void WireWriter::write_unknown_tagged_fields(const std::vector<TaggedField>& unknown, size_t& index,
                                             uint64_t before_tag) {
  while (index < unknown.size() && unknown[index].tag < before_tag) {
    write_tagged_field(unknown[index].tag, unknown[index].data);
    ++index;
  }
}

void check_encode_version(int16_t version, int16_t lowest, int16_t highest, const char* type) {
  if (version < lowest || version > highest) {
    throw std::invalid_argument(std::string("cannot encode ") + type + " at unsupported version " +
                                std::to_string(version));
  }
}

void WireWriter::write_file_slice(const FileSlice& slice) {
  splices_.push_back(Splice{buf_.size(), slice});
  spliced_bytes_ += static_cast<size_t>(slice.length);
}

void WireWriter::write_records_field(const Records& records, bool compact, bool nullable,
                                     const char* field) {
  if (!records.has_value()) {
    if (!nullable) fail(std::string("null value for non-nullable field ") + field);
    if (compact) {
      write_unsigned_varint(0);
    } else {
      write_int32(-1);
    }
    return;
  }
  std::int64_t size = records.size();
  if (size > INT32_MAX - 1) fail(std::string("records too large in field ") + field);
  if (compact) {
    write_unsigned_varint(static_cast<uint32_t>(size + 1));
  } else {
    write_int32(static_cast<int32_t>(size));
  }
  if (records.bytes()) write_raw(*records.bytes());
  for (const auto& slice : records.slices()) write_file_slice(slice);
}

}  // namespace brokkr::protocol
