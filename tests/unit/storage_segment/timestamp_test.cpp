// offset_for_timestamp (ListOffsets by time) and max_timestamp.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace segment_test;

namespace {
using Answer = std::optional<std::pair<std::int64_t, std::int64_t>>;
Answer at(std::int64_t offset, std::int64_t ts) { return std::pair{offset, ts}; }
}  // namespace

TEST_CASE("offset_for_timestamp finds the first record at or after a time", "[segment][time]") {
  TempDir tmp;
  auto s = settings();
  s.segment_bytes = 400;
  s.index_interval_bytes = 50;
  // Batch b holds offsets 4b..4b+3 with timestamps 1000+100b + 0,10,20,30.
  auto fill = [](brokkr::sdk::PartitionLog& log) {
    for (int b = 0; b < 30; ++b) {
      std::vector<Rec> r;
      for (int i = 0; i < 4; ++i) r.push_back({"k", "v", 1000 + 100 * b + 10 * i});
      append(log, r);
    }
  };
  auto check = [](brokkr::sdk::PartitionLog& log) {
    REQUIRE(log.offset_for_timestamp(0) == at(0, 1000));
    REQUIRE(log.offset_for_timestamp(1000) == at(0, 1000));
    REQUIRE(log.offset_for_timestamp(1001) == at(1, 1010));
    REQUIRE(log.offset_for_timestamp(1025) == at(3, 1030));
    REQUIRE(log.offset_for_timestamp(1031) == at(4, 1100));  // next batch
    REQUIRE(log.offset_for_timestamp(2215) == at(50, 2220));
    REQUIRE(log.offset_for_timestamp(3930) == at(119, 3930));
    REQUIRE(log.offset_for_timestamp(3931) == std::nullopt);
    REQUIRE(log.max_timestamp() == at(119, 3930));
  };
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    REQUIRE(log->max_timestamp() == std::nullopt);
    REQUIRE(log->offset_for_timestamp(0) == std::nullopt);
    fill(*log);
    REQUIRE(dynamic_cast<brokkr::segment::SegmentPartition&>(*log).segment_count() > 3);
    check(*log);
    engine->close();
  }
  Engine engine(tmp.path());
  auto log = engine->open(kTp, s);
  check(*log);
  // Below the log start nothing is answered.
  log->advance_start_offset(50);
  REQUIRE(log->offset_for_timestamp(0) == at(50, 2220));
}

TEST_CASE("max_timestamp is the largest timestamp, wherever it is", "[segment][time]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto s = settings();
  s.segment_bytes = 200;
  auto log = engine->open(kTp, s);
  append(*log, {{"a", "1", 5000}, {"b", "2", 9000}, {"c", "3", 7000}});
  append(*log, {{"a", "1", 6000}});
  append(*log, {{"a", "1", 8000}, {"a", "2", 8500}});
  REQUIRE(log->max_timestamp() == at(1, 9000));
  // Timestamps need not increase: the first record >= 6500 is offset 1.
  REQUIRE(log->offset_for_timestamp(6500) == at(1, 9000));
  REQUIRE(log->offset_for_timestamp(8200) == at(1, 9000));
  REQUIRE(log->offset_for_timestamp(9001) == std::nullopt);
}

TEST_CASE("inside a compressed batch the base offset is the answer", "[segment][time]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto log = engine->open(kTp, settings());
  append(*log, {{"a", "1", 1000}});
  append(*log, {{"a", "1", 2000}, {"a", "2", 3000}, {"a", "3", 4000}}, /*gzip*/ 1);
  // Without a codec the records cannot be read: the batch's base offset and
  // its max timestamp.
  REQUIRE(log->offset_for_timestamp(3500) == at(1, 4000));
  REQUIRE(log->max_timestamp() == at(1, 4000));
}
