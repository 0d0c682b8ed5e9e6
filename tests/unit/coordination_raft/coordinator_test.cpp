#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "raft_coordinator.hpp"
#include "raft_log.hpp"
#include "test_support.hpp"

using brokkr::raft::RaftCoordinator;
using namespace brokkr::sdk;
using raft_test::eventually;
using raft_test::make_context;
using raft_test::TempDir;
using raft_test::TestLogger;
namespace fs = std::filesystem;

namespace {

StoreOp put_op(std::string key, std::string data, std::int64_t expected = kAnyVersion) {
  return StoreOp{StoreOp::Type::put, std::move(key), std::move(data), expected};
}

PluginContext context_with(const fs::path& data_dir, std::shared_ptr<TestLogger> logger,
                           std::initializer_list<std::pair<const char*, ConfigValue>> config) {
  PluginContext context = make_context(data_dir, std::move(logger));
  for (const auto& [key, value] : config) context.config.set(key, value);
  return context;
}

// Collects what a store watch delivers, thread-safely.
struct Recorder {
  std::mutex mutex;
  std::vector<StoreChange> changes;
  std::vector<std::size_t> batch_sizes;
  std::set<std::thread::id> threads;

  StoreWatchCallback callback() {
    return [this](const std::vector<StoreChange>& batch) {
      std::lock_guard lock(mutex);
      for (const auto& c : batch) changes.push_back(c);
      batch_sizes.push_back(batch.size());
      threads.insert(std::this_thread::get_id());
    };
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return changes.size();
  }
  std::vector<std::string> keys() {
    std::lock_guard lock(mutex);
    std::vector<std::string> out;
    for (const auto& c : changes) out.push_back(c.key);
    return out;
  }
};

}  // namespace

TEST_CASE("a fresh store starts, serves reads and writes", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  CHECK(coordinator.options().dir == dir.path() / "metadata");
  CHECK(coordinator.commit({put_op("/a", "1")}).status == StoreStatus::unavailable);  // not started
  CHECK_THROWS_AS(coordinator.get("/a"), std::logic_error);

  coordinator.start();
  CHECK(fs::is_directory(dir.path() / "metadata"));
  CHECK(coordinator.cluster_id().size() == 22);
  CHECK(coordinator.current_term() == 1);

  StoreResult r = coordinator.put("/topics/a", "config-a", kMustNotExist);
  REQUIRE(r.ok());
  CHECK(r.version == 0);
  CHECK(coordinator.put("/topics/a", "config-a2", 0).version == 1);
  CHECK(coordinator.put("/topics/a", "stale", 0).status == StoreStatus::version_mismatch);
  CHECK(coordinator.erase("/topics/zzz").status == StoreStatus::not_found);
  CHECK(coordinator.get("/topics/a")->data == "config-a2");
  CHECK(coordinator.list("/topics/").size() == 1);
  CHECK(coordinator.commit({}).ok());
  coordinator.stop();
  CHECK(coordinator.commit({put_op("/b", "1")}).status == StoreStatus::unavailable);
  CHECK(coordinator.get("/topics/a"));  // reads still answer from memory
}

TEST_CASE("committed data, versions and the cluster id survive a restart", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  std::string cluster_id;
  {
    RaftCoordinator coordinator(make_context(dir.path(), logger));
    coordinator.start();
    cluster_id = coordinator.cluster_id();
    REQUIRE(coordinator.put("/k/one", "1").ok());
    REQUIRE(coordinator.put("/k/one", "1b").ok());
    REQUIRE(coordinator.put("/k/one", "1c").ok());
    REQUIRE(coordinator.commit({put_op("/k/two", "2"), put_op("/k/three", "3")}).ok());
    REQUIRE(coordinator.put("/k/gone", "x").ok());
    REQUIRE(coordinator.erase("/k/gone").ok());
    CHECK(coordinator.current_term() == 1);
  }  // destroyed without stop(): the destructor stops
  for (std::uint64_t expected_term : {2u, 3u}) {
    RaftCoordinator coordinator(make_context(dir.path(), logger));
    coordinator.start();
    CHECK(coordinator.cluster_id() == cluster_id);
    CHECK(coordinator.current_term() == expected_term);
    auto one = coordinator.get("/k/one");
    REQUIRE(one);
    CHECK(one->data == "1c");
    CHECK(one->version == 2);
    CHECK(coordinator.get("/k/two")->version == 0);
    CHECK(coordinator.get("/k/three")->data == "3");
    CHECK_FALSE(coordinator.get("/k/gone"));
    CHECK(coordinator.list("/k/").size() == 3);
    coordinator.stop();
  }
}

TEST_CASE("a torn tail loses only the entry being written", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  const fs::path log_path = dir.path() / "metadata" / "log";
  std::uintmax_t size_before_last = 0;
  {
    RaftCoordinator coordinator(make_context(dir.path(), logger));
    coordinator.start();
    REQUIRE(coordinator.put("/a", "1").ok());
    REQUIRE(coordinator.put("/b", "2").ok());
    size_before_last = fs::file_size(log_path);
    REQUIRE(coordinator.put("/c", std::string(300, 'c')).ok());
    coordinator.stop();
  }
  SECTION("cut in the middle of the last entry") {
    fs::resize_file(log_path, size_before_last + 100);
  }
  SECTION("cut inside the last entry's header") {
    fs::resize_file(log_path, size_before_last + 7);
  }
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  coordinator.start();
  CHECK(logger->saw("bytes off the tail"));
  CHECK(coordinator.get("/a")->data == "1");
  CHECK(coordinator.get("/b")->data == "2");
  CHECK_FALSE(coordinator.get("/c"));
  REQUIRE(coordinator.put("/c", "again", kMustNotExist).ok());  // and the log goes on
  coordinator.stop();

  RaftCoordinator reopened(make_context(dir.path(), logger));
  reopened.start();
  CHECK(reopened.get("/c")->data == "again");
}

TEST_CASE("garbage after the last entry keeps every entry", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  {
    RaftCoordinator coordinator(make_context(dir.path(), logger));
    coordinator.start();
    for (int i = 0; i < 5; ++i) REQUIRE(coordinator.put("/n/" + std::to_string(i), "v").ok());
  }
  {
    std::ofstream out(dir.path() / "metadata" / "log", std::ios::binary | std::ios::app);
    out << "\x13\x37 half a record";
  }
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  coordinator.start();
  CHECK(coordinator.list("/n/").size() == 5);
}

TEST_CASE("snapshots compact the log and restore on restart", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  auto context = context_with(dir.path(), logger, {{"snapshot_interval_entries", raft_test::value(std::int64_t{5})}});
  const fs::path log_path = dir.path() / "metadata" / "log";
  {
    RaftCoordinator coordinator(context);
    coordinator.start();
    for (int i = 0; i < 23; ++i) {
      REQUIRE(coordinator.put("/s/" + std::to_string(i % 7), "value-" + std::to_string(i)).ok());
    }
    REQUIRE(coordinator.erase("/s/6").ok());
    CHECK(coordinator.snapshot_index() > 0);
    CHECK(fs::exists(dir.path() / "metadata" / "snapshot"));
    brokkr::raft::RaftLog log(log_path, false);  // the file is not locked against reading
    CHECK(log.last_index() - log.base_index() < 5);
    CHECK(log.base_index() == coordinator.snapshot_index());
  }
  RaftCoordinator coordinator(context);
  coordinator.start();
  auto values = coordinator.list("/s/");
  REQUIRE(values.size() == 6);
  for (const auto& kv : values) {
    int key = std::stoi(kv.key.substr(3));
    int last = key + 7 * ((22 - key) / 7);  // the last i with i % 7 == key
    CHECK(kv.value.data == "value-" + std::to_string(last));
    CHECK(kv.value.version == (last - key) / 7);
  }
  CHECK_FALSE(coordinator.get("/s/6"));
}

TEST_CASE("a snapshot without the matching compaction recovers", "[coordinator]") {
  // A crash after the snapshot was written but before the log was compacted
  // leaves a log that still holds entries the snapshot covers.
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  const fs::path meta = dir.path() / "metadata";
  auto context = context_with(dir.path(), logger, {{"snapshot_interval_entries", raft_test::value(std::int64_t{4})}});
  fs::path saved_log = dir.path() / "log.before";
  {
    RaftCoordinator coordinator(context);
    coordinator.start();  // entry 1: the no-op
    REQUIRE(coordinator.put("/x", "1").ok());
    REQUIRE(coordinator.put("/x", "2").ok());
    fs::copy_file(meta / "log", saved_log);
    REQUIRE(coordinator.put("/x", "3").ok());  // entry 4: snapshot + compaction
    CHECK(coordinator.snapshot_index() == 4);
    REQUIRE(coordinator.put("/y", "after").ok());
  }
  // Put back the uncompacted log of entries 1-3: entry 4 is in the snapshot,
  // entry 5 is lost (as if written but the crash came first).
  fs::copy_file(saved_log, meta / "log", fs::copy_options::overwrite_existing);
  RaftCoordinator coordinator(context);
  coordinator.start();
  CHECK(coordinator.get("/x")->data == "3");
  CHECK(coordinator.get("/x")->version == 2);
  CHECK_FALSE(coordinator.get("/y"));
  REQUIRE(coordinator.put("/y", "again").ok());
}

TEST_CASE("watches see committed changes in order, filtered by prefix", "[coordinator][watch]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  coordinator.start();
  REQUIRE(coordinator.put("/topics/before", "x").ok());

  Recorder topics, brokers, everything;
  std::uint64_t topics_handle = coordinator.watch("/topics/", topics.callback());
  coordinator.watch("/brokers/", brokers.callback());
  coordinator.watch("", everything.callback());

  REQUIRE(coordinator.put("/topics/a", "1").ok());
  REQUIRE(coordinator.put("/brokers/1", "b").ok());
  REQUIRE(coordinator.commit({put_op("/topics/b", "1"), put_op("/brokers/2", "b"),
                              put_op("/topics/a", "2")}).ok());
  REQUIRE(coordinator.put("/topics/b", "stale", 5).status == StoreStatus::version_mismatch);
  REQUIRE(coordinator.erase("/topics/a").ok());
  REQUIRE(coordinator.put("/other", "o").ok());
  for (int i = 0; i < 50; ++i) REQUIRE(coordinator.put("/topics/n", std::to_string(i)).ok());

  REQUIRE(eventually([&] { return everything.count() == 57; }));
  REQUIRE(eventually([&] { return topics.count() == 54; }));
  REQUIRE(eventually([&] { return brokers.count() == 2; }));
  const std::vector<std::string> topic_keys = topics.keys();
  std::vector<std::string> first_topics(topic_keys.begin(), topic_keys.begin() + 4);
  CHECK(first_topics == std::vector<std::string>{"/topics/a", "/topics/b", "/topics/a", "/topics/a"});
  CHECK(brokers.keys() == std::vector<std::string>{"/brokers/1", "/brokers/2"});
  {
    std::lock_guard lock(topics.mutex);
    CHECK(topics.batch_sizes[1] == 2);  // one callback per commit, holding just the matches
    CHECK(topics.changes[2].value->version == 1);
    CHECK_FALSE(topics.changes[3].value);  // the erase
    for (int i = 0; i < 50; ++i) CHECK(topics.changes[4 + i].value->data == std::to_string(i));
    CHECK(topics.threads.size() == 1);
    CHECK(topics.threads.count(std::this_thread::get_id()) == 0);  // the notifier's thread
  }

  coordinator.unwatch(topics_handle);
  REQUIRE(coordinator.put("/topics/late", "l").ok());
  REQUIRE(eventually([&] { return everything.count() == 58; }));
  CHECK(topics.count() == 54);
  coordinator.stop();
}

TEST_CASE("a watch callback finds its change applied", "[coordinator][watch]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  coordinator.start();
  REQUIRE(coordinator.put("/applied", "v0").ok());
  std::atomic<std::int64_t> seen_version{-1};
  // A callback may read the store: the change is applied and no lock is held.
  coordinator.watch("/applied", [&](const std::vector<StoreChange>& changes) {
    auto now = coordinator.get("/applied");
    seen_version = now && now->data == changes.back().value->data ? now->version : -2;
  });
  REQUIRE(coordinator.put("/applied", "v1").ok());
  REQUIRE(eventually([&] { return seen_version != -1; }));
  CHECK(seen_version == 1);
}

TEST_CASE("a watch callback may commit, and unwatch itself", "[coordinator][watch]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  coordinator.start();
  std::atomic<int> calls{0};
  std::uint64_t handle = 0;
  handle = coordinator.watch("/trigger", [&](const std::vector<StoreChange>&) {
    ++calls;
    coordinator.put("/reaction", "done");
    coordinator.unwatch(handle);
  });
  REQUIRE(coordinator.put("/trigger", "1").ok());
  REQUIRE(eventually([&] { return coordinator.get("/reaction").has_value(); }));
  REQUIRE(coordinator.put("/trigger", "2").ok());
  REQUIRE(coordinator.put("/sync", "s").ok());
  std::atomic<bool> synced{false};
  coordinator.watch("/sync2", [&](const std::vector<StoreChange>&) { synced = true; });
  REQUIRE(coordinator.put("/sync2", "s").ok());
  REQUIRE(eventually([&] { return synced.load(); }));
  CHECK(calls == 1);
}

TEST_CASE("register_broker shows in cluster_view and watch_cluster", "[coordinator][cluster]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  RaftCoordinator coordinator(make_context(dir.path(), logger, 7));
  std::mutex mutex;
  std::vector<ClusterView> views;
  coordinator.watch_cluster([&](const ClusterView& view) {
    std::lock_guard lock(mutex);
    views.push_back(view);
  });
  CHECK_THROWS_AS(coordinator.register_broker(BrokerRegistration{}), std::logic_error);
  coordinator.start();

  ClusterView view = coordinator.cluster_view();
  CHECK(view.live_brokers.empty());
  CHECK(view.controller_id == 7);

  BrokerRegistration me;
  me.node_id = 7;
  me.rack = "r1";
  me.endpoints.push_back(BrokerEndpoint{"PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT"});
  coordinator.register_broker(me);
  view = coordinator.cluster_view();
  REQUIRE(view.live_brokers.size() == 1);
  CHECK(view.live_brokers[0] == me);
  CHECK(view.controller_id == 7);

  me.endpoints[0].port = 9093;  // re-registering replaces
  coordinator.register_broker(me);
  CHECK(coordinator.cluster_view().live_brokers.at(0).endpoints.at(0).port == 9093);

  coordinator.stop();  // ephemeral: gone at once
  CHECK(coordinator.cluster_view().live_brokers.empty());
  CHECK_FALSE(coordinator.cluster_view().controller_id);

  std::lock_guard lock(mutex);  // stop() delivered everything before returning
  REQUIRE(views.size() == 4);
  CHECK(views[0].controller_id == 7);  // elected at start
  CHECK(views[0].live_brokers.empty());
  CHECK(views[1].live_brokers.size() == 1);
  CHECK(views[2].live_brokers.at(0).endpoints.at(0).port == 9093);
  CHECK(views[3].live_brokers.empty());
  CHECK_FALSE(views[3].controller_id);
}

TEST_CASE("registrations are not persisted", "[coordinator][cluster]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  {
    RaftCoordinator coordinator(make_context(dir.path(), logger));
    coordinator.start();
    coordinator.register_broker(BrokerRegistration{1, std::nullopt, {}});
    CHECK(coordinator.list("").empty());  // not in the store
  }
  RaftCoordinator coordinator(make_context(dir.path(), logger));
  coordinator.start();
  CHECK(coordinator.cluster_view().live_brokers.empty());
}

TEST_CASE("configuration keys", "[coordinator][config]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  using raft_test::value;

  CHECK_THROWS_MATCHES(RaftCoordinator(context_with(dir.path(), logger, {{"fsnyc", value(true)}})),
                       ConfigError, Catch::Matchers::Message("plugins.raft.fsnyc: unknown key"));
  CHECK_THROWS_WITH(RaftCoordinator(context_with(dir.path(), logger, {{"fsync", value("yes")}})),
                    "plugins.raft.fsync: must be a boolean");
  CHECK_THROWS_WITH(RaftCoordinator(context_with(dir.path(), logger,
                                                 {{"snapshot_interval_entries", value(std::int64_t{0})}})),
                    "plugins.raft.snapshot_interval_entries: must be at least 1");

  auto custom = dir.path() / "elsewhere";
  RaftCoordinator coordinator(context_with(dir.path(), logger,
                                           {{"dir", value(custom.c_str())},
                                            {"fsync", value(false)},
                                            {"snapshot_interval_entries", value(std::int64_t{3})}}));
  CHECK(coordinator.options().dir == custom);
  CHECK_FALSE(coordinator.options().fsync);
  CHECK(coordinator.options().snapshot_interval_entries == 3);
  coordinator.start();
  REQUIRE(coordinator.put("/a", "1").ok());
  CHECK(fs::exists(custom / "log"));
  CHECK_FALSE(fs::exists(dir.path() / "metadata"));

  PluginContext no_dir = make_context("", logger);
  CHECK_THROWS_AS(RaftCoordinator(no_dir), ConfigError);
}

TEST_CASE("one directory, one coordinator", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  RaftCoordinator first(make_context(dir.path(), logger));
  first.start();
  RaftCoordinator second(make_context(dir.path(), logger));
  CHECK_THROWS_WITH(second.start(), Catch::Contains("in use"));
  first.stop();
  second.start();  // free now
  CHECK(second.current_term() == 2);
}

TEST_CASE("concurrent commits all land, versions stay consistent", "[coordinator]") {
  TempDir dir;
  auto logger = std::make_shared<TestLogger>();
  auto context = context_with(dir.path(), logger, {{"fsync", raft_test::value(false)},
                                                   {"snapshot_interval_entries", raft_test::value(std::int64_t{50})}});
  RaftCoordinator coordinator(context);
  coordinator.start();
  REQUIRE(coordinator.put("/counter", "0", kMustNotExist).ok());
  std::vector<std::thread> threads;
  std::atomic<int> unexpected{0};  // Catch's REQUIRE is not for other threads
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        for (;;) {  // read-modify-write with compare-and-set
          auto current = coordinator.get("/counter");
          int n = std::stoi(current->data);
          auto r = coordinator.put("/counter", std::to_string(n + 1), current->version);
          if (r.ok()) break;
          if (r.status != StoreStatus::version_mismatch) ++unexpected;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(unexpected == 0);
  CHECK(coordinator.get("/counter")->data == "200");
  CHECK(coordinator.get("/counter")->version == 200);
  coordinator.stop();
  RaftCoordinator reopened(context);
  reopened.start();
  CHECK(reopened.get("/counter")->version == 200);
}
