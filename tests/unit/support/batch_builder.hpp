// Builds valid Kafka record batches (magic v2, uncompressed) for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/record_batch.hpp"

namespace brokkr::test {

struct TestRecord {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::int64_t timestamp_delta = 0;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline void put_varlong(std::vector<std::uint8_t>& out, std::int64_t v) {
  std::uint64_t z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(z | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(z));
}

inline void put_bytes(std::vector<std::uint8_t>& out, const std::optional<std::string>& s) {
  if (!s) return put_varlong(out, -1);
  put_varlong(out, static_cast<std::int64_t>(s->size()));
  out.insert(out.end(), s->begin(), s->end());
}

inline std::vector<std::uint8_t> build_batch(const std::vector<TestRecord>& records,
                                             std::int64_t base_timestamp = 1700000000000,
                                             std::int16_t attributes = 0) {
  namespace rb = sdk::record_batch;
  std::vector<std::uint8_t> body;
  std::int64_t max_ts = base_timestamp;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    std::vector<std::uint8_t> rec;
    rec.push_back(0);  // attributes
    put_varlong(rec, r.timestamp_delta);
    put_varlong(rec, static_cast<std::int64_t>(i));
    put_bytes(rec, r.key);
    put_bytes(rec, r.value);
    put_varlong(rec, static_cast<std::int64_t>(r.headers.size()));
    for (const auto& [k, v] : r.headers) {
      put_bytes(rec, k);
      put_bytes(rec, v);
    }
    put_varlong(body, static_cast<std::int64_t>(rec.size()));
    body.insert(body.end(), rec.begin(), rec.end());
    max_ts = std::max(max_ts, base_timestamp + r.timestamp_delta);
  }
  rb::BatchHeader header;
  header.attributes = attributes;
  header.last_offset_delta = static_cast<std::int32_t>(records.size()) - 1;
  header.base_timestamp = base_timestamp;
  header.max_timestamp = max_ts;
  header.record_count = static_cast<std::int32_t>(records.size());
  std::vector<std::uint8_t> batch;
  rb::append_batch(header, body, batch);
  return batch;
}

}  // namespace brokkr::test
