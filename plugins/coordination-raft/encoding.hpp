// Little-endian binary encoding shared by the log, the state file and
// snapshots, plus the CRC they are checked with.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace brokkr::raft {

class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void bytes(std::string_view v) { out_.append(v); }
  void str(std::string_view v) {  // u32 length, then the bytes
    u32(static_cast<std::uint32_t>(v.size()));
    bytes(v);
  }
  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  std::string_view bytes(std::size_t n) { return take(n); }
  std::string str() { return std::string(take(u32())); }
  std::size_t remaining() const { return in_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view take(std::size_t n) {
    if (n > remaining()) throw DecodeError("truncated data");
    std::string_view out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::uint64_t get(int n) {
    std::string_view b = take(static_cast<std::size_t>(n));
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[static_cast<std::size_t>(i)]);
    return v;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

// CRC-32 (zlib's), optionally continuing from a previous value.
std::uint32_t crc32_of(std::string_view data, std::uint32_t previous = 0);

}  // namespace brokkr::raft
