// truncate_to, remove, the leader epoch history, configuration, and
// concurrent readers.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "clock.hpp"
#include "options.hpp"
#include "test_support.hpp"

using namespace segment_test;
using brokkr::segment::SegmentPartition;

TEST_CASE("truncate_to drops the tail", "[segment][truncate]") {
  TempDir tmp;
  auto s = settings();
  s.segment_bytes = 500;
  s.index_interval_bytes = 50;
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, s);
    for (int b = 0; b < 30; ++b) append(*log, recs(3, 1000 + b * 10));
    auto& p = dynamic_cast<SegmentPartition&>(*log);
    auto segments = p.segment_count();
    REQUIRE(segments > 3);

    log->truncate_to(90);  // no-op at the end
    REQUIRE(log->log_end_offset() == 90);

    log->truncate_to(30);  // a batch boundary inside an older segment
    REQUIRE(log->log_end_offset() == 30);
    REQUIRE(p.segment_count() < segments);
    REQUIRE(p.segment_bases().back() <= 30);
    auto records = read_all(*log);
    REQUIRE(records.size() == 30);
    REQUIRE(records.back().offset == 29);
    REQUIRE(log->max_timestamp() == std::pair<std::int64_t, std::int64_t>{29, 1092});
    REQUIRE(log->offset_for_timestamp(1095) == std::nullopt);

    log->truncate_to(31);  // past the end: nothing to do
    REQUIRE(log->log_end_offset() == 30);
    log->truncate_to(28);  // inside the last batch: the whole batch goes
    REQUIRE(log->log_end_offset() == 27);

    // The log continues from there, in the truncated segment.
    REQUIRE(append(*log, recs(3, 5000, "new")) == 27);
    REQUIRE(read_all(*log, 27)[0].value == "vnew0");
    engine->close();
  }
  Engine engine(tmp.path());
  auto log = engine->open(kTp, s);
  REQUIRE(log->log_end_offset() == 30);
  REQUIRE(read_all(*log).size() == 30);
  REQUIRE(read_all(*log, 27)[0].value == "vnew0");

  SECTION("below the first segment everything goes") {
    log->advance_start_offset(10);
    log->truncate_to(5);
    REQUIRE(log->log_start_offset() == 5);
    REQUIRE(log->log_end_offset() == 5);
    REQUIRE(read_all(*log).empty());
    REQUIRE(append(*log, recs(2)) == 5);
  }
}

TEST_CASE("remove deletes the partition directory", "[segment][remove]") {
  TempDir tmp;
  Engine engine(tmp.path());
  auto log = engine->open(kTp, settings());
  append(*log, recs(5));
  auto held = log->read(0, 100, INT64_MAX);
  auto dir = partition_dir(tmp.path());
  REQUIRE(std::filesystem::exists(dir));
  engine->remove(kTp);
  REQUIRE_FALSE(std::filesystem::exists(dir));
  REQUIRE(std::filesystem::directory_iterator(tmp.path() / "logs") != std::filesystem::directory_iterator());
  for (const auto& e : std::filesystem::directory_iterator(tmp.path() / "logs")) {
    REQUIRE(e.path().filename().string().rfind("orders", 0) != 0);
  }
  REQUIRE_THROWS(append(*log, recs(1)));
  REQUIRE(parse_batches(held).size() == 1);  // what was read stays readable
  // The same name can be created again, empty.
  auto again = engine->open(kTp, settings());
  REQUIRE(again->log_end_offset() == 0);
  REQUIRE(engine->recover() == std::vector<brokkr::sdk::PartitionId>{kTp});
}

TEST_CASE("the leader epoch history persists and answers OffsetForLeaderEpoch", "[segment][epoch]") {
  TempDir tmp;
  using Answer = std::optional<std::pair<std::int32_t, std::int64_t>>;
  {
    Engine engine(tmp.path());
    auto log = engine->open(kTp, settings());
    REQUIRE(log->end_offset_for_epoch(0) == Answer{});
    log->record_epoch_start(1, 0);
    append(*log, recs(10));
    log->record_epoch_start(3, 10);
    log->record_epoch_start(3, 12);  // same epoch again: ignored
    log->record_epoch_start(2, 12);  // older epoch: ignored
    append(*log, recs(10));
    log->record_epoch_start(5, 20);
    append(*log, recs(5));
    // crash: no close
  }
  Engine engine(tmp.path());
  auto log = engine->open(kTp, settings());
  REQUIRE(log->end_offset_for_epoch(0) == Answer{});
  REQUIRE(log->end_offset_for_epoch(1) == Answer{{1, 10}});
  REQUIRE(log->end_offset_for_epoch(2) == Answer{{1, 10}});  // largest epoch <= 2 is 1
  REQUIRE(log->end_offset_for_epoch(3) == Answer{{3, 20}});
  REQUIRE(log->end_offset_for_epoch(4) == Answer{{3, 20}});
  REQUIRE(log->end_offset_for_epoch(5) == Answer{{5, 25}});
  REQUIRE(log->end_offset_for_epoch(9) == Answer{{5, 25}});

  log->truncate_to(20);  // epoch 5 started at the new end: gone
  REQUIRE(log->end_offset_for_epoch(5) == Answer{{3, 20}});
  append(*log, recs(2));
  log->record_epoch_start(6, 22);
  REQUIRE(log->end_offset_for_epoch(3) == Answer{{3, 22}});
  REQUIRE(log->end_offset_for_epoch(6) == Answer{{6, 22}});

  log->advance_start_offset(12);  // epoch 1 collapses into the start
  REQUIRE(log->end_offset_for_epoch(1) == Answer{});
  REQUIRE(log->end_offset_for_epoch(3) == Answer{{3, 22}});

  auto text = read_whole(partition_dir(tmp.path()) / "leader-epoch-checkpoint");
  REQUIRE(text == "0\n2\n3 12\n6 22\n");
}

TEST_CASE("configuration keys", "[segment][config]") {
  brokkr::sdk::PluginContext context;
  context.data_dir = "/data";
  context.logger = std::make_shared<TestLogger>();
  context.config = brokkr::sdk::ConfigTable("plugins.segment");
  auto defaults = brokkr::segment::parse_options(context);
  REQUIRE(defaults.dir == "/data/logs");
  REQUIRE(defaults.maintenance_interval_ms == 1000);
  REQUIRE(defaults.index_max_bytes == 10 * 1024 * 1024);

  context.config.set("dir", brokkr::sdk::ConfigValue{std::string("/elsewhere")});
  REQUIRE(brokkr::segment::parse_options(context).dir == "/elsewhere");

  context.config.set("retention_threads", brokkr::sdk::ConfigValue{std::int64_t{2}});
  REQUIRE_THROWS_WITH(brokkr::segment::parse_options(context),
                      Catch::Contains("plugins.segment.retention_threads: unknown key"));

  auto bad = brokkr::sdk::ConfigTable("plugins.segment");
  bad.set("index_max_bytes", brokkr::sdk::ConfigValue{std::int64_t{4}});
  context.config = bad;
  REQUIRE_THROWS_AS(brokkr::segment::parse_options(context), brokkr::sdk::ConfigError);
}

TEST_CASE("a second engine cannot use the same directory", "[segment][config]") {
  TempDir tmp;
  Engine first(tmp.path());
  first->recover();
  Engine second(tmp.path());  // constructing touches no files (--check-config)
  REQUIRE_THROWS_WITH(second->recover(), Catch::Contains("in use"));
}

TEST_CASE("constructing the engine creates nothing on disk", "[segment][config]") {
  TempDir tmp;
  Engine engine(tmp.path());
  CHECK(std::filesystem::is_empty(tmp.path()));
}

namespace {

// Two readers check every read (whole batches, valid CRCs, increasing
// offsets) while this thread appends and the background thread (plus rounds
// of our own) rolls, flushes, deletes or compacts segments under them.
void stress(const std::filesystem::path& data_dir, const brokkr::sdk::LogSettings& s,
            const std::function<void(Engine&, brokkr::sdk::PartitionLog&)>& check) {
  Engine engine(data_dir, config_with("maintenance_interval_ms", 1));
  auto log = engine->open(kTp, s);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      while (!done) {
        try {
          std::int64_t start = log->log_start_offset();
          std::int64_t end = log->log_end_offset();
          if (end == start) continue;
          std::int64_t offset = start + (end - start) * (t + 1) / 3;
          auto batches = parse_batches(log->read(offset, 3000, end));
          for (std::size_t i = 1; i < batches.size(); ++i) {
            if (batches[i].header.base_offset <= batches[i - 1].header.last_offset()) failed = true;
          }
          ++reads;
        } catch (const std::out_of_range&) {
          // retention moved the start meanwhile
        } catch (const std::exception&) {
          failed = true;
        }
      }
    });
  }
  auto now = brokkr::segment::wall_clock_ms();
  for (int b = 0; b < 3000; ++b) {
    append(*log, {{"key" + std::to_string(b % 7), "a", now + b},
                  {"key" + std::to_string(b % 11), "b", now + b},
                  {"key" + std::to_string(b % 13), "c", now + b}});
    // Rounds of our own too (serialized with the thread's), so that the
    // background work surely runs while the readers do.
    if (b % 500 == 499) engine->run_maintenance(brokkr::segment::wall_clock_ms());
  }
  done = true;
  for (auto& t : readers) t.join();
  REQUIRE_FALSE(failed);
  REQUIRE(reads > 0);
  REQUIRE(log->log_end_offset() == 9000);
  check(engine, *log);
  engine->close();
}

brokkr::sdk::LogSettings stress_settings() {
  auto s = settings();
  s.segment_bytes = 12000;  // ~25 rolls, each flushed (fsync) by the background thread
  s.index_interval_bytes = 100;
  return s;
}

}  // namespace

TEST_CASE("reads run safely alongside appends and retention", "[segment][concurrency]") {
  TempDir tmp;
  auto s = stress_settings();
  s.retention_bytes = 30'000;
  stress(tmp.path(), s, [](Engine&, brokkr::sdk::PartitionLog& log) {
    REQUIRE(log.log_start_offset() > 0);
  });
}

TEST_CASE("reads run safely alongside appends and compaction", "[segment][concurrency]") {
  TempDir tmp;
  auto s = stress_settings();
  s.compact = true;
  s.remove = false;
  stress(tmp.path(), s, [](Engine& engine, brokkr::sdk::PartitionLog& log) {
    REQUIRE(engine.logger->count("compacted") > 0);
    REQUIRE(read_all(log).size() < 9000);
  });
}
