#include "batches.hpp"

#include <algorithm>

#include "corpus.hpp"

namespace brokkr::bench {
namespace {

void put_varint(std::vector<std::uint8_t>& out, std::int64_t v) {
  auto u = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);  // zig-zag
  while (u >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(u | 0x80));
    u >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(u));
}

std::vector<std::uint8_t> encode_record(std::span<const std::uint8_t> value, std::int64_t delta) {
  std::vector<std::uint8_t> body;
  body.push_back(0);        // attributes
  put_varint(body, delta);  // timestamp delta: one ms per record
  put_varint(body, delta);  // offset delta
  put_varint(body, -1);     // null key
  put_varint(body, static_cast<std::int64_t>(value.size()));
  body.insert(body.end(), value.begin(), value.end());
  put_varint(body, 0);  // no headers
  std::vector<std::uint8_t> out;
  put_varint(out, static_cast<std::int64_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> producer_batches(std::span<const std::uint8_t> corpus,
                                                        std::size_t batch_bytes) {
  std::vector<std::vector<std::uint8_t>> batches;
  std::vector<std::uint8_t> current;
  std::int64_t delta = 0;
  for (std::size_t at = 0; at < corpus.size(); at += kRecordBytes) {
    const auto value = corpus.subspan(at, std::min(kRecordBytes, corpus.size() - at));
    auto record = encode_record(value, delta);
    if (!current.empty() && current.size() + record.size() > batch_bytes) {
      batches.push_back(std::move(current));
      current.clear();
      delta = 0;
      record = encode_record(value, delta);
    }
    current.insert(current.end(), record.begin(), record.end());
    ++delta;
  }
  if (!current.empty()) batches.push_back(std::move(current));
  return batches;
}

}  // namespace brokkr::bench
