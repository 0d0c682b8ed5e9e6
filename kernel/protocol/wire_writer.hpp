// Brokkr Kafka protocol: big-endian writer into an owned byte vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/records.hpp"
#include "protocol/tagged_field.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::protocol {

// Encoding errors (a null where the version does not allow one, a string
// longer than 32767 bytes, an unsupported version) throw std::invalid_argument.
class WireWriter {
 public:
  WireWriter() = default;
  explicit WireWriter(size_t reserve_bytes) { buf_.reserve(reserve_bytes); }

  const std::vector<uint8_t>& buffer() const noexcept { return buf_; }
  std::vector<uint8_t> take() noexcept { return std::move(buf_); }
  size_t position() const noexcept { return buf_.size(); }

  // Overwrites 4 bytes at pos (e.g. a frame length reserved earlier).
  void patch_int32(size_t pos, int32_t v);

  void write_raw(std::span<const uint8_t> bytes);
  void write_int8(int8_t v) { buf_.push_back(static_cast<uint8_t>(v)); }
  void write_int16(int16_t v) { write_uint16(static_cast<uint16_t>(v)); }
  void write_int32(int32_t v) { write_uint32(static_cast<uint32_t>(v)); }
  void write_int64(int64_t v);
  void write_uint16(uint16_t v);
  void write_uint32(uint32_t v);
  void write_float64(double v);
  void write_bool(bool v) { buf_.push_back(v ? 1 : 0); }
  void write_unsigned_varint(uint32_t v);
  void write_unsigned_varlong(uint64_t v);
  void write_varint(int32_t v);   // zig-zag
  void write_varlong(int64_t v);  // zig-zag
  void write_uuid(const Uuid& u) { write_raw(u.bytes); }

  // int16 length prefix (-1 = null).
  void write_string(std::string_view s);
  void write_nullable_string(const std::optional<std::string>& s);
  // unsigned varint length+1 prefix (0 = null).
  void write_compact_string(std::string_view s);
  void write_compact_nullable_string(const std::optional<std::string>& s);

  // int32 length prefix (-1 = null).
  void write_bytes(std::span<const uint8_t> b);
  void write_nullable_bytes(const std::optional<std::vector<uint8_t>>& b);
  // unsigned varint length+1 prefix (0 = null).
  void write_compact_bytes(std::span<const uint8_t> b);
  void write_compact_nullable_bytes(const std::optional<std::vector<uint8_t>>& b);

  // ---- helpers used by the generated code ---------------------------------

  void write_string_field(std::string_view s, bool compact);
  // Throws std::invalid_argument for a null when !nullable.
  void write_nullable_string_field(const std::optional<std::string>& s, bool compact, bool nullable,
                                   const char* field);
  void write_bytes_field(std::span<const uint8_t> b, bool compact);
  void write_nullable_bytes_field(const std::optional<std::vector<uint8_t>>& b, bool compact,
                                  bool nullable, const char* field);
  void write_array_length(size_t n, bool compact);
  void write_null_array(bool compact, bool nullable, const char* field);
  // Writes the nullable-struct marker when nullable; returns present.
  bool write_struct_marker(bool present, bool nullable, const char* field);
  // tag, size, data.
  void write_tagged_field(uint32_t tag, std::span<const uint8_t> data);
  // Writes unknown[index...] while their tag is below before_tag, advancing
  // index, so unknown and known tagged fields come out in tag order.
  void write_unknown_tagged_fields(const std::vector<TaggedField>& unknown, size_t& index,
                                   uint64_t before_tag);

  // A records field: length prefix, in-memory bytes, then file slices.
  void write_records_field(const Records& records, bool compact, bool nullable, const char* field);

  // ---- file slices (zero-copy) ----------------------------------------------
  // A file range that goes on the wire at the current position. It is not
  // copied into the buffer: the network layer sends it from the file.
  struct Splice {
    size_t position;  // offset in buffer() before which the slice goes
    FileSlice slice;
  };
  void write_file_slice(const FileSlice& slice);
  const std::vector<Splice>& splices() const noexcept { return splices_; }
  std::vector<Splice> take_splices() noexcept { return std::move(splices_); }
  // Bytes on the wire: the buffer plus every file slice.
  size_t total_size() const noexcept { return buf_.size() + spliced_bytes_; }

  [[noreturn]] static void fail(const std::string& message);

 private:
  std::vector<uint8_t> buf_;
  std::vector<Splice> splices_;
  size_t spliced_bytes_ = 0;
};

// Throws std::invalid_argument when version is outside [lowest, highest].
void check_encode_version(int16_t version, int16_t lowest, int16_t highest, const char* type);

}  // namespace brokkr::protocol
