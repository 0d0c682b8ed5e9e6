// Helpers for the segment storage tests (TempDir and TestLogger come from
// support/test_dirs.hpp): real magic-v2 record batches with correct CRCs, and
// reading back what read() returns through its file descriptors.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "brokkr/sdk/config.hpp"
#include "brokkr/sdk/logger.hpp"
#include "brokkr/sdk/plugin.hpp"
#include "brokkr/sdk/record_batch.hpp"
#include "brokkr/sdk/records.hpp"
#include "brokkr/sdk/storage.hpp"
#include "segment_storage.hpp"
#include "support/test_dirs.hpp"

namespace segment_test {

namespace sdk = brokkr::sdk;
namespace rb = brokkr::sdk::record_batch;

using brokkr::test::TempDir;
using brokkr::test::TestLogger;

struct Rec {
  std::optional<std::string> key;
  std::optional<std::string> value;  // nullopt: tombstone
  std::int64_t timestamp = 0;
};

inline void put_varlong(std::vector<std::uint8_t>& out, std::int64_t v) {
  auto z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(z | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(z));
}

inline void put_bytes(std::vector<std::uint8_t>& out, const std::optional<std::string>& s) {
  if (!s) {
    put_varlong(out, -1);
    return;
  }
  put_varlong(out, static_cast<std::int64_t>(s->size()));
  out.insert(out.end(), s->begin(), s->end());
}

// A magic v2 batch at `base_offset`, uncompressed unless `attributes` says
// otherwise (the records are then still written plain: the storage never
// decompresses, so that is enough to exercise "cannot look inside").
inline std::vector<std::uint8_t> make_batch(std::int64_t base_offset, const std::vector<Rec>& recs,
                                            std::int16_t attributes = 0) {
  std::int64_t base_ts = recs.empty() ? -1 : recs.front().timestamp;
  std::int64_t max_ts = -1;
  for (const auto& r : recs) max_ts = std::max(max_ts, r.timestamp);
  std::vector<std::uint8_t> out(rb::kHeaderSize, 0);
  std::vector<std::uint8_t> body;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    body.clear();
    body.push_back(0);
    put_varlong(body, recs[i].timestamp - base_ts);
    put_varlong(body, static_cast<std::int64_t>(i));
    put_bytes(body, recs[i].key);
    put_bytes(body, recs[i].value);
    put_varlong(body, 0);
    put_varlong(out, static_cast<std::int64_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
  }
  std::uint8_t* p = out.data();
  rb::store_be(p + rb::kBaseOffsetPos, static_cast<std::uint64_t>(base_offset), 8);
  rb::store_be(p + rb::kBatchLengthPos, out.size() - rb::kLogOverhead, 4);
  rb::store_be(p + rb::kLeaderEpochPos, 0, 4);
  p[rb::kMagicPos] = 2;
  rb::store_be(p + rb::kAttributesPos, static_cast<std::uint16_t>(attributes), 2);
  rb::store_be(p + rb::kLastOffsetDeltaPos, recs.size() - 1, 4);
  rb::store_be(p + rb::kBaseTimestampPos, static_cast<std::uint64_t>(base_ts), 8);
  rb::store_be(p + rb::kMaxTimestampPos, static_cast<std::uint64_t>(max_ts), 8);
  rb::store_be(p + rb::kProducerIdPos, static_cast<std::uint64_t>(-1), 8);
  rb::store_be(p + rb::kProducerEpochPos, static_cast<std::uint16_t>(-1), 2);
  rb::store_be(p + rb::kBaseSequencePos, static_cast<std::uint32_t>(-1), 4);
  rb::store_be(p + rb::kRecordCountPos, recs.size(), 4);
  rb::update_crc(out);
  return out;
}

// Appends one batch of `recs` at the log end; returns its base offset.
inline std::int64_t append(sdk::PartitionLog& log, const std::vector<Rec>& recs,
                           std::int16_t attributes = 0) {
  std::int64_t base = log.log_end_offset();
  auto batch = make_batch(base, recs, attributes);
  sdk::AppendInfo info;
  info.base_offset = base;
  info.last_offset = base + static_cast<std::int64_t>(recs.size()) - 1;
  info.record_count = static_cast<std::int32_t>(recs.size());
  log.append(batch, info);
  return base;
}

// `n` records "k<i>" / "v<i>" with timestamps ts0, ts0+1, ...
inline std::vector<Rec> recs(int n, std::int64_t ts0 = 1000, const std::string& tag = "") {
  std::vector<Rec> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({"k" + std::to_string(i), "v" + tag + std::to_string(i), ts0 + i});
  }
  return out;
}

inline std::vector<std::uint8_t> read_range(const sdk::FileRange& r) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(r.length));
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(r.fd, out.data() + done, out.size() - done, r.position + static_cast<off_t>(done));
    if (n <= 0) throw std::runtime_error("short pread on a FileRange");
    done += static_cast<std::size_t>(n);
  }
  return out;
}

struct ReadRec {
  std::int64_t offset;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::int64_t timestamp;
  bool operator==(const ReadRec&) const = default;
};

struct ReadBatch {
  rb::BatchHeader header;
  std::vector<ReadRec> records;
};

// Splits ranges into whole batches; every batch's CRC must match.
inline std::vector<ReadBatch> parse_batches(const sdk::ReadResult& result) {
  std::vector<ReadBatch> out;
  for (const auto& range : result.ranges) {
    auto bytes = read_range(range);
    std::size_t at = 0;
    while (at < bytes.size()) {
      auto span = std::span<const std::uint8_t>(bytes).subspan(at);
      auto h = rb::parse_header(span);
      if (!h || h->total_size() > static_cast<std::int64_t>(span.size())) {
        throw std::runtime_error("range does not hold whole batches");
      }
      auto batch = span.first(static_cast<std::size_t>(h->total_size()));
      if (!rb::crc_matches(batch)) throw std::runtime_error("bad CRC in a read batch");
      ReadBatch b{*h, {}};
      brokkr::sdk::records::Cursor c(batch.subspan(rb::kHeaderSize));
      for (int i = 0; i < h->record_count; ++i) {
        auto r = brokkr::sdk::records::next_record(c);
        auto str = [](std::optional<std::span<const std::uint8_t>> s) -> std::optional<std::string> {
          if (!s) return std::nullopt;
          return std::string(s->begin(), s->end());
        };
        b.records.push_back({h->base_offset + r.offset_delta, str(r.key), str(r.value),
                             h->base_timestamp + r.timestamp_delta});
      }
      out.push_back(std::move(b));
      at += static_cast<std::size_t>(h->total_size());
    }
  }
  return out;
}

inline std::vector<ReadRec> records_of(const std::vector<ReadBatch>& batches) {
  std::vector<ReadRec> out;
  for (const auto& b : batches) out.insert(out.end(), b.records.begin(), b.records.end());
  return out;
}

// Every record from `from` to the end, by repeated reads.
inline std::vector<ReadRec> read_all(sdk::PartitionLog& log, std::int64_t from = -1,
                                     std::int64_t max_bytes = 1 << 20) {
  std::vector<ReadRec> out;
  std::int64_t offset = from < 0 ? log.log_start_offset() : from;
  while (offset < log.log_end_offset()) {
    auto result = log.read(offset, max_bytes, INT64_MAX);
    auto batches = parse_batches(result);
    if (batches.empty()) break;
    for (const auto& r : records_of(batches)) {
      if (r.offset >= offset) out.push_back(r);
    }
    offset = batches.back().header.last_offset() + 1;
  }
  return out;
}

struct Engine {
  std::shared_ptr<TestLogger> logger = std::make_shared<TestLogger>();
  std::unique_ptr<brokkr::segment::SegmentStorage> storage;

  explicit Engine(const std::filesystem::path& data_dir, sdk::ConfigTable config = {}) {
    sdk::PluginContext context;
    context.plugin_name = "segment";
    context.config = std::move(config);
    if (!context.config.contains("maintenance_interval_ms")) {
      context.config.set("maintenance_interval_ms", sdk::ConfigValue{std::int64_t{0}});
    }
    context.logger = logger;
    context.data_dir = data_dir.string();
    storage = std::make_unique<brokkr::segment::SegmentStorage>(context);
  }
  brokkr::segment::SegmentStorage* operator->() { return storage.get(); }
};

inline sdk::ConfigTable config_with(const std::string& key, std::int64_t value) {
  sdk::ConfigTable t("plugins.segment");
  t.set(key, sdk::ConfigValue{value});
  return t;
}

inline sdk::LogSettings settings() {
  sdk::LogSettings s;
  s.retention_ms = -1;  // tests choose their clocks; nothing expires unless asked
  return s;
}

inline const sdk::PartitionId kTp{"orders", 0};

inline std::filesystem::path partition_dir(const std::filesystem::path& data_dir,
                                           const sdk::PartitionId& id = kTp) {
  return data_dir / "logs" / (id.topic + "-" + std::to_string(id.partition));
}

inline std::vector<std::filesystem::path> files_with_suffix(const std::filesystem::path& dir,
                                                            const std::string& suffix) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace segment_test

namespace segment_test {
inline std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace segment_test
