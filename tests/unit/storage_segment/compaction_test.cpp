// Log compaction: latest value per key, tombstones, offsets and CRCs.
#include <catch2/catch.hpp>

#include <map>

#include "gzip_codec.hpp"
#include "test_support.hpp"

using namespace segment_test;

namespace {

brokkr::sdk::LogSettings compacted_settings() {
  auto s = settings();
  s.compact = true;
  s.remove = false;
  s.segment_bytes = 300;
  s.delete_retention_ms = 60'000;
  return s;
}

// The latest value per key (nullopt: tombstone) among `records`.
std::map<std::string, std::pair<std::int64_t, std::optional<std::string>>> latest(
    const std::vector<ReadRec>& records) {
  std::map<std::string, std::pair<std::int64_t, std::optional<std::string>>> out;
  for (const auto& r : records) out[*r.key] = {r.offset, r.value};
  return out;
}

}  // namespace

TEST_CASE("compaction keeps the latest value of each key", "[segment][compaction]") {
  TempDir tmp;
  auto s = compacted_settings();
  const std::int64_t now = 1'000'000;
  std::vector<ReadRec> written;
  auto put = [&](brokkr::sdk::PartitionLog& log, std::vector<Rec> r) {
    auto base = append(log, r);
    for (std::size_t i = 0; i < r.size(); ++i) {
      written.push_back({base + static_cast<std::int64_t>(i), r[i].key, r[i].value, r[i].timestamp});
    }
  };
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    for (int round = 0; round < 6; ++round) {
      std::vector<Rec> r;
      for (int k = 0; k < 4; ++k) {
        r.push_back({"key" + std::to_string(k), "r" + std::to_string(round), now - 100'000 + round});
      }
      put(*log, r);
    }
    put(*log, {{"key1", std::nullopt, now - 50'000}});  // tombstone
    put(*log, {{"key0", "last", now - 40'000}, {"key2", "last", now - 40'000}});
    put(*log, {{"tail", "t", now - 30'000}});
    // Enough after it that the tombstone's segment is closed.
    for (int i = 0; i < 4; ++i) put(*log, recs(3, now - 20'000, "filler"));
    auto before_end = log->log_end_offset();
    auto segments_before = dynamic_cast<brokkr::segment::SegmentPartition&>(*log).segment_count();
    REQUIRE(segments_before > 3);
    auto active_base = dynamic_cast<brokkr::segment::SegmentPartition&>(*log).segment_bases().back();
    auto size_before = log->size_bytes();

    engine->run_maintenance(now);

    REQUIRE(log->log_end_offset() == before_end);
    REQUIRE(log->size_bytes() < size_before);
    auto after = read_all(*log);  // parse_batches checks every CRC
    // Offsets are preserved, increasing, with gaps.
    for (std::size_t i = 1; i < after.size(); ++i) REQUIRE(after[i].offset > after[i - 1].offset);
    for (const auto& r : after) {
      auto it = std::find_if(written.begin(), written.end(), [&](const ReadRec& w) { return w.offset == r.offset; });
      REQUIRE(it != written.end());
      REQUIRE(*it == r);  // same key, value and timestamp at the same offset
    }
    // Below the active segment every key appears once, with its latest value.
    std::map<std::string, int> seen;
    for (const auto& r : after) {
      if (r.offset < active_base) ++seen[*r.key];
    }
    for (const auto& [key, n] : seen) REQUIRE(n == 1);
    REQUIRE(latest(after) == latest(written));
    // The tombstone is still there (delete.retention.ms has not passed).
    REQUIRE(latest(after)["key1"].second == std::nullopt);
    REQUIRE(engine.logger->count("compacted") == 1);
    REQUIRE(files_with_suffix(partition_dir(tmp.path()), ".cleaned").empty());
    REQUIRE(files_with_suffix(partition_dir(tmp.path()), ".swap").empty());

    // A second round without new data changes nothing.
    auto size_after = log->size_bytes();
    engine->run_maintenance(now + 1);
    REQUIRE(log->size_bytes() == size_after);

    // After delete.retention.ms the tombstone goes, and the key with it.
    engine->run_maintenance(now + 60'001);
    auto final_records = read_all(*log);
    REQUIRE(latest(final_records).count("key1") == 0);
    auto expected = latest(written);
    expected.erase("key1");
    REQUIRE(latest(final_records) == expected);
    engine->close();
  }
  // All of it is on disk: a reopen reads the same, indexes included.
  Engine engine(tmp.path());
  auto log = engine->open(kTp, s);
  auto reread = read_all(*log);
  REQUIRE(latest(reread).count("key1") == 0);
  REQUIRE(engine->recovery_batches_scanned() == 0);
  for (const auto& r : reread) {
    auto batches = parse_batches(log->read(r.offset, 1, INT64_MAX));
    REQUIRE_FALSE(batches.empty());
    REQUIRE(batches[0].header.base_offset <= r.offset);
    REQUIRE(batches[0].header.last_offset() >= r.offset);
  }
}

TEST_CASE("compaction leaves compressed batches and the active segment alone", "[segment][compaction]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = compacted_settings();
  auto log = engine->open(kTp, s);
  append(*log, {{"a", "old", 1}, {"b", "old", 1}}, /*gzip*/ 1);
  append(*log, {{"a", "plain-old", 2}});
  for (int i = 0; i < 6; ++i) append(*log, {{"a", "new" + std::to_string(i), 3}});
  engine->run_maintenance(10);
  auto records = read_all(*log);
  // The compressed batch is untouched; the plain old value of "a" is gone.
  REQUIRE(records[0].offset == 0);
  REQUIRE(records[0].value == "old");
  REQUIRE(records[1].offset == 1);
  REQUIRE(std::none_of(records.begin(), records.end(), [](const ReadRec& r) { return r.value == "plain-old"; }));
  REQUIRE(records.back().value == "new5");
}

TEST_CASE("min.compaction.lag.ms holds back recent segments", "[segment][compaction]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = compacted_settings();
  s.min_compaction_lag_ms = 1000;
  auto log = engine->open(kTp, s);
  for (int i = 0; i < 10; ++i) append(*log, {{"a", "v" + std::to_string(i), 5000}});
  auto size = log->size_bytes();
  engine->run_maintenance(5500);  // too recent
  REQUIRE(log->size_bytes() == size);
  engine->run_maintenance(6000);
  REQUIRE(log->size_bytes() < size);
}

TEST_CASE("without a compaction lag, timestamps ahead of the clock do not matter", "[segment][compaction]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto log = engine->open(kTp, compacted_settings());
  for (int i = 0; i < 10; ++i) append(*log, {{"a", "v" + std::to_string(i), 9'000'000}});
  auto size = log->size_bytes();
  engine->run_maintenance(5000);  // the data claims to be from the future
  REQUIRE(log->size_bytes() < size);
}

namespace {

// Appends `recs` as one gzip batch (really compressed) at the log end.
std::int64_t append_gzip(brokkr::sdk::PartitionLog& log, brokkr::sdk::Codec& gzip, const std::vector<Rec>& recs) {
  std::int64_t base = log.log_end_offset();
  auto plain = make_batch(base, recs);
  auto header = *rb::parse_header(plain);
  header.attributes = 1;
  std::vector<std::uint8_t> compressed;
  gzip.compress(std::span<const std::uint8_t>(plain).subspan(rb::kHeaderSize), std::nullopt, compressed);
  std::vector<std::uint8_t> batch;
  rb::append_batch(header, compressed, batch);
  brokkr::sdk::AppendInfo info;
  info.base_offset = base;
  info.last_offset = base + static_cast<std::int64_t>(recs.size()) - 1;
  info.record_count = static_cast<std::int32_t>(recs.size());
  log.append(batch, info);
  return base;
}

brokkr::sdk::CodecAccess gzip_only(brokkr::sdk::Codec& gzip) {
  brokkr::sdk::CodecAccess access;
  access.find = [&gzip](brokkr::sdk::CompressionType t) {
    return t == brokkr::sdk::CompressionType::gzip ? &gzip : nullptr;
  };
  access.max_decompressed_bytes = 1 << 20;
  return access;
}

}  // namespace

TEST_CASE("with the broker's codecs, compressed batches are compacted and stay compressed",
          "[segment][compaction]") {
  TempDir tmp;
  brokkr::codecs::GzipCodec gzip;
  Engine engine(tmp.path());
  engine->set_codecs(gzip_only(gzip));
  auto s = compacted_settings();
  auto log = engine->open(kTp, s);
  append_gzip(*log, gzip, {{"a", "old", 1}, {"b", "only", 1}, {"c", "old", 1}});
  for (int i = 0; i < 6; ++i) append_gzip(*log, gzip, {{"a", "new" + std::to_string(i), 3}, {"c", "new", 3}});
  engine->run_maintenance(10);

  // The first batch lost "a" and "c" (newer values follow); "b" is kept at
  // its offset, in a batch that is still gzip with a valid CRC.
  auto result = log->read(0, 1 << 20, INT64_MAX);
  auto bytes = read_range(result.ranges.at(0));
  auto h = *rb::parse_header(bytes);
  auto first = std::span<const std::uint8_t>(bytes).first(static_cast<std::size_t>(h.total_size()));
  REQUIRE(rb::crc_matches(first));
  REQUIRE(h.compression() == brokkr::sdk::CompressionType::gzip);
  REQUIRE(h.base_offset == 0);
  REQUIRE(h.last_offset_delta == 2);  // offsets are kept
  REQUIRE(h.record_count == 1);
  std::vector<std::uint8_t> records;
  gzip.decompress(first.subspan(rb::kHeaderSize), 1 << 20, records);
  brokkr::sdk::records::Cursor cursor(records);
  auto r = brokkr::sdk::records::next_record(cursor);
  REQUIRE(std::string(r.key->begin(), r.key->end()) == "b");
  REQUIRE(std::string(r.value->begin(), r.value->end()) == "only");
  REQUIRE(r.offset_delta == 1);
  REQUIRE(cursor.done());
  REQUIRE(engine.logger->count("compacted") == 1);
}

TEST_CASE("a compressed batch whose codec is not loaded is left alone", "[segment][compaction]") {
  TempDir tmp;
  brokkr::codecs::GzipCodec gzip;
  Engine engine(tmp.path());
  engine->set_codecs(brokkr::sdk::CodecAccess{});  // no codecs
  auto s = compacted_settings();
  auto log = engine->open(kTp, s);
  append_gzip(*log, gzip, {{"a", "old", 1}, {"b", "old", 1}});
  for (int i = 0; i < 6; ++i) append(*log, {{"a", "new" + std::to_string(i), 3}});
  auto size_before = read_range(log->read(0, 1 << 20, INT64_MAX).ranges.at(0)).size();
  engine->run_maintenance(10);
  auto bytes = read_range(log->read(0, 1 << 20, INT64_MAX).ranges.at(0));
  auto h = *rb::parse_header(bytes);
  REQUIRE(h.record_count == 2);
  REQUIRE(h.compression() == brokkr::sdk::CompressionType::gzip);
  REQUIRE(bytes.size() <= size_before);
}

TEST_CASE("a timestamp lookup finds the exact record inside a compressed batch", "[segment][timestamp]") {
  TempDir tmp;
  brokkr::codecs::GzipCodec gzip;
  Engine engine(tmp.path());
  engine->set_codecs(gzip_only(gzip));
  auto log = engine->open(kTp, settings());
  append_gzip(*log, gzip, {{"a", "1", 100}, {"b", "2", 200}, {"c", "3", 300}});
  auto found = log->offset_for_timestamp(150);
  REQUIRE(found);
  REQUIRE(found->first == 1);
  REQUIRE(found->second == 200);
}
