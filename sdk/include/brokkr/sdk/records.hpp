// Records inside an uncompressed record batch (magic v2), for code that
// needs keys, values or timestamps (compaction, validation). Header-only,
// standard types only; never trusts a length.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace brokkr::sdk::records {

class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Header {
  std::span<const std::uint8_t> key;
  std::optional<std::span<const std::uint8_t>> value;
};

struct Record {
  std::int8_t attributes = 0;
  std::int64_t timestamp_delta = 0;
  std::int32_t offset_delta = 0;
  std::optional<std::span<const std::uint8_t>> key;    // nullopt: null key
  std::optional<std::span<const std::uint8_t>> value;  // nullopt: tombstone
  std::vector<Header> headers;
  std::size_t encoded_size = 0;  // including its length prefix
};

class Cursor {
 public:
  explicit Cursor(std::span<const std::uint8_t> data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }
  std::size_t position() const { return pos_; }

  std::int64_t varlong() {
    std::uint64_t raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos_ >= data_.size()) throw RecordError("truncated varint");
      std::uint8_t b = data_[pos_++];
      raw |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return static_cast<std::int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
    }
    throw RecordError("varint too long");
  }
  std::int32_t varint() {
    std::int64_t v = varlong();
    if (v < INT32_MIN || v > INT32_MAX) throw RecordError("varint out of range");
    return static_cast<std::int32_t>(v);
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    if (n > data_.size() - pos_) throw RecordError("length beyond the end of the batch");
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::optional<std::span<const std::uint8_t>> nullable_bytes() {
    std::int32_t n = varint();
    if (n == -1) return std::nullopt;
    if (n < 0) throw RecordError("negative length");
    return take(static_cast<std::size_t>(n));
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

// Reads the next record; throws RecordError on malformed input.
inline Record next_record(Cursor& cursor) {
  std::size_t start = cursor.position();
  std::int32_t length = cursor.varint();
  if (length < 0) throw RecordError("negative record length");
  std::size_t body_start = cursor.position();
  Cursor body(cursor.take(static_cast<std::size_t>(length)));
  Record r;
  r.attributes = static_cast<std::int8_t>(body.take(1)[0]);
  r.timestamp_delta = body.varlong();
  r.offset_delta = body.varint();
  r.key = body.nullable_bytes();
  r.value = body.nullable_bytes();
  std::int32_t header_count = body.varint();
  if (header_count < 0) throw RecordError("negative header count");
  for (std::int32_t i = 0; i < header_count; ++i) {
    std::int32_t key_length = body.varint();
    if (key_length < 0) throw RecordError("null header key");
    Header h;
    h.key = body.take(static_cast<std::size_t>(key_length));
    h.value = body.nullable_bytes();
    r.headers.push_back(h);
  }
  if (!body.done()) throw RecordError("record longer than its fields");
  (void)body_start;
  r.encoded_size = cursor.position() - start;
  return r;
}

}  // namespace brokkr::sdk::records
