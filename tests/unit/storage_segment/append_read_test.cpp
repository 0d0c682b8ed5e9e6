// Appending and reading: segment rolls, offsets inside batches, limits.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace segment_test;

TEST_CASE("appends are read back across segment rolls", "[segment][read]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.segment_bytes = 1000;
  auto log = engine->open(kTp, s);
  REQUIRE(log->log_start_offset() == 0);
  REQUIRE(log->log_end_offset() == 0);

  std::vector<ReadRec> expected;
  for (int b = 0; b < 40; ++b) {
    auto r = recs(5, 1000 + b * 10, "b" + std::to_string(b));
    std::int64_t base = append(*log, r);
    REQUIRE(base == b * 5);
    for (int i = 0; i < 5; ++i) expected.push_back({base + i, r[i].key, r[i].value, r[i].timestamp});
  }
  REQUIRE(log->log_end_offset() == 200);
  auto* partition = dynamic_cast<brokkr::segment::SegmentPartition*>(log.get());
  REQUIRE(partition->segment_count() > 3);
  // A batch never straddles segments: each segment file holds whole batches.
  for (const auto& file : files_with_suffix(partition_dir(tmp.path()), ".log")) {
    REQUIRE(std::filesystem::file_size(file) <= 1000);
  }

  REQUIRE(read_all(*log) == expected);
  // Small reads walk the same records.
  REQUIRE(read_all(*log, 0, 150) == expected);
  REQUIRE(log->size_bytes() > 0);
}

TEST_CASE("read starts at the batch holding the offset", "[segment][read]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.index_interval_bytes = 100;  // index entries every couple of batches
  auto log = engine->open(kTp, s);
  for (int b = 0; b < 50; ++b) append(*log, recs(4, 1000 + b));

  for (std::int64_t offset : {0, 1, 3, 4, 57, 101, 198, 199}) {
    auto batches = parse_batches(log->read(offset, 1, INT64_MAX));
    REQUIRE(batches.size() == 1);
    REQUIRE(batches[0].header.base_offset == offset / 4 * 4);
  }
  // At the log end: nothing, no error.
  REQUIRE(log->read(200, 1000, INT64_MAX).ranges.empty());
  REQUIRE_THROWS_AS(log->read(201, 1000, INT64_MAX), std::out_of_range);
}

TEST_CASE("read stops before max_offset and near max_bytes", "[segment][read]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto log = engine->open(kTp, settings());
  for (int b = 0; b < 10; ++b) append(*log, recs(10, 1000 + b));
  auto one_batch = parse_batches(log->read(0, 1, INT64_MAX));
  std::int64_t batch_size = one_batch[0].header.total_size();

  SECTION("max_offset is exclusive and only whole batches below it are returned") {
    auto batches = parse_batches(log->read(0, 1 << 20, 30));
    REQUIRE(batches.size() == 3);
    REQUIRE(batches.back().header.last_offset() == 29);
    // A batch that straddles max_offset is not returned.
    REQUIRE(parse_batches(log->read(0, 1 << 20, 35)).size() == 3);
    REQUIRE(log->read(30, 1 << 20, 35).ranges.empty());
    REQUIRE(log->read(40, 1 << 20, 40).ranges.empty());
  }
  SECTION("max_bytes bounds the batches after the first") {
    auto result = log->read(0, batch_size * 3 + batch_size / 2, INT64_MAX);
    REQUIRE(result.total_bytes() == batch_size * 3);
    REQUIRE(parse_batches(result).size() == 3);
    REQUIRE(result.log_end_offset == 100);
    REQUIRE(result.log_start_offset == 0);
  }
  SECTION("the first batch comes whole even when larger than max_bytes") {
    auto result = log->read(25, 10, INT64_MAX);
    REQUIRE(result.total_bytes() == batch_size);
    auto batches = parse_batches(result);
    REQUIRE(batches.size() == 1);
    REQUIRE(batches[0].header.base_offset == 20);
    REQUIRE(log->read(25, 0, INT64_MAX).total_bytes() == batch_size);
  }
}

TEST_CASE("a read can span segments", "[segment][read]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.segment_bytes = 500;
  auto log = engine->open(kTp, s);
  for (int b = 0; b < 20; ++b) append(*log, recs(3, 1000 + b));
  auto result = log->read(0, 1 << 20, INT64_MAX);
  REQUIRE(result.ranges.size() > 1);
  auto records = records_of(parse_batches(result));
  REQUIRE(records.size() == 60);
  for (int i = 0; i < 60; ++i) REQUIRE(records[i].offset == i);
}

TEST_CASE("indexes answer lookups after a clean reopen", "[segment][index]") {
  TempDir tmp;
  auto s = settings();
  s.index_interval_bytes = 64;
  s.segment_bytes = 4000;
  std::vector<ReadRec> expected;
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    for (int b = 0; b < 100; ++b) {
      auto r = recs(3, 5000 + b * 3, std::to_string(b));
      auto base = append(*log, r);
      for (int i = 0; i < 3; ++i) expected.push_back({base + i, r[i].key, r[i].value, r[i].timestamp});
    }
    engine->close();
  }
  auto dir = partition_dir(tmp.path());
  auto indexes = files_with_suffix(dir, ".index");
  REQUIRE(indexes.size() > 1);
  for (const auto& f : indexes) {
    REQUIRE(std::filesystem::file_size(f) % 8 == 0);
    REQUIRE(std::filesystem::file_size(f) > 0);  // trimmed, not preallocated, not empty
    REQUIRE(std::filesystem::file_size(f) < 4000);
  }

  Engine engine(tmp.path());
  REQUIRE(engine->recover() == std::vector<brokkr::sdk::PartitionId>{kTp});
  REQUIRE(engine->recovery_batches_scanned() == 0);
  auto log = engine->open(kTp, s);
  REQUIRE(log->log_end_offset() == 300);
  for (std::int64_t offset = 0; offset < 300; offset += 7) {
    auto batches = parse_batches(log->read(offset, 1, INT64_MAX));
    REQUIRE(batches.size() == 1);
    REQUIRE(batches[0].header.base_offset == offset / 3 * 3);
  }
  REQUIRE(read_all(*log) == expected);
  // And appends continue where the log ended.
  REQUIRE(append(*log, recs(2)) == 300);
  REQUIRE(read_all(*log, 299).size() == 3);
}

TEST_CASE("malformed appends are refused before anything is written", "[segment][append]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto log = engine->open(kTp, settings());
  append(*log, recs(2));
  auto stale = make_batch(0, recs(1));  // below the log end
  REQUIRE_THROWS_AS(log->append(stale, {}), std::invalid_argument);
  auto cut = make_batch(2, recs(3));
  cut.resize(cut.size() - 1);
  REQUIRE_THROWS_AS(log->append(cut, {}), std::invalid_argument);
  REQUIRE_THROWS_AS(log->append({}, {}), std::invalid_argument);
  REQUIRE(log->log_end_offset() == 2);
  REQUIRE(log->size_bytes() == static_cast<std::int64_t>(make_batch(0, recs(2)).size()));
}

TEST_CASE("one append may carry several batches", "[segment][append]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto log = engine->open(kTp, settings());
  auto a = make_batch(0, recs(2));
  auto b = make_batch(2, recs(3, 2000));
  std::vector<std::uint8_t> both(a);
  both.insert(both.end(), b.begin(), b.end());
  auto info = log->append(both, {});
  REQUIRE(info.base_offset == 0);
  REQUIRE(info.last_offset == 4);
  REQUIRE(log->log_end_offset() == 5);
  REQUIRE(parse_batches(log->read(3, 1 << 20, INT64_MAX)).size() == 1);
  REQUIRE(read_all(*log).size() == 5);
}
