// Brokkr Kafka protocol: bounds-checked big-endian reader over a byte span.
//
// Nothing read from the wire is trusted: every read checks the remaining
// bytes first, every length is validated against the remaining bytes before
// anything is allocated, and every failure is a DecodeError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/decode_error.hpp"
#include "protocol/records.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::protocol {

class WireReader {
 public:
  explicit WireReader(std::span<const uint8_t> data) noexcept : data_(data) {}

  size_t remaining() const noexcept { return data_.size() - pos_; }
  size_t position() const noexcept { return pos_; }

  // Returns a view of the next n bytes and advances past them.
  std::span<const uint8_t> read_raw(size_t n);

  int8_t read_int8();
  int16_t read_int16();
  int32_t read_int32();
  int64_t read_int64();
  uint16_t read_uint16();
  uint32_t read_uint32();
  double read_float64();
  bool read_bool();  // any non-zero byte is true, as in Kafka
  uint32_t read_unsigned_varint();  // at most 5 bytes, must fit 32 bits
  uint64_t read_unsigned_varlong();  // at most 10 bytes, must fit 64 bits
  int32_t read_varint();             // zig-zag
  int64_t read_varlong();            // zig-zag
  Uuid read_uuid();

  // int16 length prefix (-1 = null).
  std::string read_string();
  std::optional<std::string> read_nullable_string();
  // unsigned varint length+1 prefix (0 = null).
  std::string read_compact_string();
  std::optional<std::string> read_compact_nullable_string();

  // int32 length prefix (-1 = null).
  std::vector<uint8_t> read_bytes();
  std::optional<std::vector<uint8_t>> read_nullable_bytes();
  // unsigned varint length+1 prefix (0 = null).
  std::vector<uint8_t> read_compact_bytes();
  std::optional<std::vector<uint8_t>> read_compact_nullable_bytes();

  // Throws DecodeError unless every byte has been consumed.
  void expect_end(const char* what) const;

  // ---- helpers used by the generated code ---------------------------------

  std::string read_string_field(bool compact);
  // nullable == false turns a null on the wire into a DecodeError.
  std::optional<std::string> read_nullable_string_field(bool compact, bool nullable);
  std::vector<uint8_t> read_bytes_field(bool compact);
  std::optional<std::vector<uint8_t>> read_nullable_bytes_field(bool compact, bool nullable);

  Records read_records_field(bool compact, bool nullable) {
    auto bytes = read_nullable_bytes_field(compact, nullable);
    return bytes ? Records(std::move(*bytes)) : Records();
  }

  // Array element count; -1 means null (only when nullable). The count is
  // checked against the remaining bytes assuming each element takes at least
  // min_element_size (>= 1) bytes.
  int32_t read_array_length(bool compact, bool nullable, size_t min_element_size);

  // Presence marker of a nullable struct field (int8: -1 null, 1 present).
  // When !nullable there is no marker on the wire and this returns true.
  bool read_struct_marker(bool nullable);

  // Tagged-field section of a flexible struct.
  struct RawTaggedField {
    uint32_t tag;
    std::span<const uint8_t> data;
  };
  uint32_t read_tagged_field_count();
  // Reads tag + size + data. Tags must be strictly increasing: previous_tag
  // holds the last tag read (start with -1) and is updated.
  RawTaggedField read_tagged_field(int64_t& previous_tag);

  [[noreturn]] static void fail(const std::string& message);

 private:
  void need(size_t n) const;

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

// Throws DecodeError when version is outside [lowest, highest].
void check_decode_version(int16_t version, int16_t lowest, int16_t highest, const char* type);

}  // namespace brokkr::protocol
