// Segment rolls (size, time, full index) and retention (bytes, time,
// DeleteRecords).
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace segment_test;
using brokkr::segment::SegmentPartition;

namespace {
SegmentPartition& partition(const std::shared_ptr<brokkr::sdk::PartitionLog>& log) {
  return dynamic_cast<SegmentPartition&>(*log);
}
}  // namespace

TEST_CASE("segments roll by size", "[segment][roll]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  auto batch_size = static_cast<std::int64_t>(make_batch(0, recs(5)).size());
  s.segment_bytes = batch_size * 3;
  auto log = engine->open(kTp, s);
  for (int b = 0; b < 7; ++b) append(*log, recs(5));
  // 3 + 3 + 1 batches; each segment starts at the first offset it holds.
  REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{0, 15, 30});

  SECTION("a batch larger than segment_bytes gets a segment of its own") {
    append(*log, recs(50));
    append(*log, recs(1));
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{0, 15, 30, 35, 85});
  }
}

TEST_CASE("segments roll by time", "[segment][roll]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.segment_ms = 1000;
  auto log = engine->open(kTp, s);

  SECTION("on append, by the timestamps of the data") {
    append(*log, recs(2, 10'000));
    append(*log, recs(2, 10'500));
    REQUIRE(partition(log).segment_count() == 1);
    append(*log, recs(2, 11'001));  // 1001 ms after the segment's first batch
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{0, 4});
  }
  SECTION("by the maintenance round, for an idle partition") {
    append(*log, recs(2, 10'000));
    // The segment's age counts from its first batch's max timestamp (10001).
    engine->run_maintenance(11'001);
    REQUIRE(partition(log).segment_count() == 1);
    engine->run_maintenance(11'002);
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{0, 2});
    engine->run_maintenance(20'000);  // an empty active segment never rolls
    REQUIRE(partition(log).segment_count() == 2);
  }
}

TEST_CASE("segments roll when an index is full", "[segment][roll]") {
  TempDir tmp;
  Engine engine(tmp.path(), config_with("index_max_bytes", 24));  // 3 offset entries, 2 time entries
  auto s = settings();
  s.index_interval_bytes = 1;  // an entry for every batch after the first
  auto log = engine->open(kTp, s);
  for (int b = 0; b < 12; ++b) append(*log, recs(1, 1000 + b));
  REQUIRE(partition(log).segment_count() > 2);
  REQUIRE(read_all(*log).size() == 12);
  for (const auto& f : files_with_suffix(partition_dir(tmp.path()), ".timeindex")) {
    REQUIRE(std::filesystem::file_size(f) <= 24);
  }
}

TEST_CASE("retention by size deletes the oldest segments", "[segment][retention]") {
  TempDir tmp;
  auto s = settings();
  auto batch_size = static_cast<std::int64_t>(make_batch(0, recs(5)).size());
  s.segment_bytes = batch_size * 2;
  s.retention_bytes = batch_size * 5;
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    for (int b = 0; b < 10; ++b) append(*log, recs(5));  // 5 segments of 2 batches
    REQUIRE(partition(log).segment_count() == 5);
    engine->run_maintenance(0);
    // Deleting keeps at least retention_bytes: 10 -> 6 batches (5 is not a
    // multiple of the segment size).
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{20, 30, 40});
    REQUIRE(log->log_start_offset() == 20);
    REQUIRE(log->size_bytes() == batch_size * 6);
    REQUIRE_THROWS_AS(log->read(19, 100, INT64_MAX), std::out_of_range);
    REQUIRE(read_all(*log).front().offset == 20);
    engine->run_maintenance(0);  // nothing more to do
    REQUIRE(partition(log).segment_count() == 3);
    REQUIRE(files_with_suffix(partition_dir(tmp.path()), ".log").size() == 3);
    REQUIRE(files_with_suffix(partition_dir(tmp.path()), ".deleted").empty());
    REQUIRE(engine.logger->count("by retention") == 1);
  }
  Engine engine(tmp.path());  // no clean close: still persisted
  auto log = engine->open(kTp, s);
  REQUIRE(log->log_start_offset() == 20);
  REQUIRE(log->log_end_offset() == 50);
}

TEST_CASE("retention by time deletes expired segments", "[segment][retention]") {
  TempDir tmp;
  auto s = settings();
  s.segment_bytes = static_cast<std::int64_t>(make_batch(0, recs(5)).size()) * 2;
  s.retention_ms = 10'000;
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    for (int b = 0; b < 6; ++b) append(*log, recs(5, 100'000 + b * 1000));  // segments end at 101004, 103004, 105004
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{0, 10, 20});

    engine->run_maintenance(111'005);  // only the first is more than 10 s old
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{10, 20});
    REQUIRE(log->log_start_offset() == 10);

    // Everything expired: the active segment is rolled so that it can go.
    engine->run_maintenance(200'000);
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{30});
    REQUIRE(log->log_start_offset() == 30);
    REQUIRE(log->log_end_offset() == 30);
    REQUIRE(log->size_bytes() == 0);
    REQUIRE(log->read(30, 100, INT64_MAX).ranges.empty());
    REQUIRE(append(*log, recs(1, 300'000)) == 30);
    engine->close();
  }
  Engine engine(tmp.path());
  auto log = engine->open(kTp, s);
  REQUIRE(log->log_start_offset() == 30);
  REQUIRE(log->log_end_offset() == 31);
}

TEST_CASE("retention leaves a topic without cleanup.policy=delete alone", "[segment][retention]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.segment_bytes = 200;
  s.retention_bytes = 0;
  s.remove = false;
  auto log = engine->open(kTp, s);
  for (int b = 0; b < 5; ++b) append(*log, recs(3));
  auto before = partition(log).segment_count();
  engine->run_maintenance(0);
  REQUIRE(partition(log).segment_count() == before);
}

TEST_CASE("advance_start_offset deletes segments below it", "[segment][retention]") {
  TempDir tmp;
  auto s = settings();
  s.segment_bytes = static_cast<std::int64_t>(make_batch(0, recs(5)).size()) * 2;
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    for (int b = 0; b < 6; ++b) append(*log, recs(5));
    log->advance_start_offset(12);  // inside the second segment
    REQUIRE(log->log_start_offset() == 12);
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{10, 20});
    // The batch holding the start offset comes whole; records before it are
    // the client's to skip.
    auto batches = parse_batches(log->read(12, 1, INT64_MAX));
    REQUIRE(batches[0].header.base_offset == 10);
    REQUIRE_THROWS_AS(log->read(11, 1, INT64_MAX), std::out_of_range);
    log->advance_start_offset(5);  // never backwards
    REQUIRE(log->log_start_offset() == 12);
    log->advance_start_offset(1000);  // clamped to the log end; the active segment stays
    REQUIRE(log->log_start_offset() == 30);
    REQUIRE(partition(log).segment_bases() == std::vector<std::int64_t>{20});
  }
  Engine engine(tmp.path());
  auto log = engine->open(kTp, s);
  REQUIRE(log->log_start_offset() == 30);
  REQUIRE(log->log_end_offset() == 30);
}

TEST_CASE("a FileRange stays readable after retention deletes its segment", "[segment][retention]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.segment_bytes = 300;
  s.retention_bytes = 0;
  auto log = engine->open(kTp, s);
  for (int b = 0; b < 6; ++b) append(*log, recs(4, 1000, std::to_string(b)));
  auto held = log->read(0, 1, INT64_MAX);
  REQUIRE(held.ranges.size() == 1);
  auto before = read_range(held.ranges[0]);

  engine->run_maintenance(0);
  REQUIRE(log->log_start_offset() > 0);
  REQUIRE_FALSE(std::filesystem::exists(partition_dir(tmp.path()) / "00000000000000000000.log"));
  // The descriptor is still open and the bytes are still there.
  REQUIRE(read_range(held.ranges[0]) == before);
  REQUIRE(parse_batches(held)[0].records[0].value == "v00");
}
