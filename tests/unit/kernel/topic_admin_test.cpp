// TopicAdmin against a real coordination store (the raft plugin's core, in
// process): topic creation, deletion, partition growth, config changes and
// descriptions, with every error Kafka answers, validate_only and
// compare-and-set races.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <chrono>
#include <set>
#include <thread>

#include "cluster/metadata_cache.hpp"
#include "cluster/metadata_records.hpp"
#include "cluster/topic_admin.hpp"
#include "config/broker_config.hpp"
#include "config/topic_config_schema.hpp"
#include "raft_coordinator.hpp"

using namespace brokkr;
using cluster::AdminResult;
using cluster::ConfigChange;
using cluster::ConfigSource;
using cluster::TopicSpec;
using protocol::ErrorCode;

namespace {

class NullLogger final : public sdk::Logger {
 public:
  bool enabled(sdk::LogLevel) const override { return false; }
  void log(sdk::LogLevel, std::string_view) override {}
};

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "brokkr-admin-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

sdk::PluginContext raft_context(const std::filesystem::path& dir) {
  sdk::PluginContext c;
  c.plugin_name = "raft";
  c.config = sdk::ConfigTable("plugins.raft");
  c.config.set("fsync", sdk::ConfigValue{false});
  c.logger = std::make_shared<NullLogger>();
  c.data_dir = dir.string();
  c.node_id = 1;
  return c;
}

sdk::BrokerRegistration broker(std::int32_t id) {
  return {id, std::nullopt, {{"PLAINTEXT", "10.0.0." + std::to_string(id), 9092, "PLAINTEXT"}}};
}

struct Fixture {
  std::filesystem::path dir = make_temp_dir();
  config::BrokerConfig config;
  raft::RaftCoordinator coordinator{raft_context(dir)};
  cluster::MetadataCache cache;
  cluster::TopicAdmin admin{coordinator, cache, config};

  explicit Fixture(int brokers = 3) {
    coordinator.start();
    for (int id = 1; id <= brokers; ++id) coordinator.register_broker(broker(id));
    cache.attach(coordinator);
  }
  ~Fixture() {
    cache.detach();
    coordinator.stop();
    std::filesystem::remove_all(dir);
  }

  std::optional<cluster::TopicMetadata> stored(const std::string& name) {
    auto value = coordinator.get(cluster::topic_key(name));
    if (!value) return std::nullopt;
    return cluster::decode_topic(value->data);
  }
  std::int64_t version(const std::string& name) { return coordinator.get(cluster::topic_key(name))->version; }
  std::shared_ptr<const cluster::TopicMetadata> cached(const std::string& name) {
    auto snapshot = cache.snapshot();
    auto it = snapshot->topics.find(name);
    return it == snapshot->topics.end() ? nullptr : it->second;
  }

  AdminResult create(const std::string& name, std::int32_t partitions = -1, std::int16_t factor = -1,
                     std::map<std::string, std::string> configs = {}) {
    TopicSpec spec;
    spec.name = name;
    spec.num_partitions = partitions;
    spec.replication_factor = factor;
    spec.configs = std::move(configs);
    return admin.create_topic(spec, false);
  }
  AdminResult topic_configs(const std::string& topic, std::vector<ConfigChange> changes, bool incremental,
                            bool validate_only = false) {
    return admin.alter_configs({static_cast<std::int8_t>(cluster::ResourceType::topic), topic}, changes,
                               incremental, validate_only);
  }
  AdminResult broker_configs(const std::string& broker, std::vector<ConfigChange> changes, bool incremental,
                             bool validate_only = false) {
    return admin.alter_configs({static_cast<std::int8_t>(cluster::ResourceType::broker), broker}, changes,
                               incremental, validate_only);
  }
  cluster::DescribedConfigs describe_topic(const std::string& topic) {
    return admin.describe_configs({static_cast<std::int8_t>(cluster::ResourceType::topic), topic});
  }
  cluster::DescribedConfigs describe_broker(const std::string& broker) {
    return admin.describe_configs({static_cast<std::int8_t>(cluster::ResourceType::broker), broker});
  }
};

ConfigChange set(std::string name, std::string value) {
  return {std::move(name), static_cast<std::int8_t>(cluster::ConfigOperation::set), std::move(value)};
}
ConfigChange erase_key(std::string name) {
  return {std::move(name), static_cast<std::int8_t>(cluster::ConfigOperation::remove), std::nullopt};
}
ConfigChange append(std::string name, std::string value) {
  return {std::move(name), static_cast<std::int8_t>(cluster::ConfigOperation::append), std::move(value)};
}
ConfigChange subtract(std::string name, std::string value) {
  return {std::move(name), static_cast<std::int8_t>(cluster::ConfigOperation::subtract), std::move(value)};
}

const cluster::ConfigEntry& entry(const cluster::DescribedConfigs& described, const std::string& name) {
  for (const auto& e : described.entries) {
    if (e.name == name) return e;
  }
  FAIL("no config entry " << name);
  throw std::logic_error("unreachable");
}

bool has_entry(const cluster::DescribedConfigs& described, const std::string& name) {
  return std::any_of(described.entries.begin(), described.entries.end(),
                     [&](const auto& e) { return e.name == name; });
}

}  // namespace

TEST_CASE("create_topic writes the record with a spread placement and the cache sees it at once", "[topic-admin]") {
  Fixture f;
  f.config.topics.num_partitions = 6;
  f.config.topics.replication_factor = 2;
  REQUIRE(f.create("orders").ok());

  auto topic = f.stored("orders");
  REQUIRE(topic);
  CHECK(topic->name == "orders");
  CHECK_FALSE(topic->topic_id.is_zero());
  CHECK_FALSE(topic->internal);
  REQUIRE(topic->partitions.size() == 6);
  std::map<std::int32_t, int> leaders;
  for (std::size_t p = 0; p < topic->partitions.size(); ++p) {
    const auto& state = topic->partitions[p];
    CHECK(state.partition == static_cast<std::int32_t>(p));
    REQUIRE(state.replicas.size() == 2);
    CHECK(state.replicas[0] != state.replicas[1]);
    CHECK(state.leader == state.replicas[0]);
    CHECK(state.isr == state.replicas);
    CHECK(state.leader_epoch == 0);
    ++leaders[state.leader];
  }
  // Round-robin over 3 brokers: each leads 2 of the 6 partitions.
  CHECK(leaders == std::map<std::int32_t, int>{{1, 2}, {2, 2}, {3, 2}});

  // Applied to the cache by the admin itself, not only by the watch.
  auto cached = f.cached("orders");
  REQUIRE(cached);
  CHECK(*cached == *topic);

  SECTION("explicit sizes and configs") {
    REQUIRE(f.create("small", 2, 3, {{"retention.ms", "1000"}, {"cleanup.policy", "compact"}}).ok());
    auto small = f.stored("small");
    CHECK(small->partitions.size() == 2);
    CHECK(small->partitions[0].replicas.size() == 3);
    CHECK(small->configs == std::map<std::string, std::string>{{"cleanup.policy", "compact"}, {"retention.ms", "1000"}});
  }
  SECTION("internal topic names are marked internal") {
    REQUIRE(f.create("__consumer_offsets", 3, 1).ok());
    CHECK(f.stored("__consumer_offsets")->internal);
  }
}

TEST_CASE("create_topic with an explicit assignment", "[topic-admin]") {
  Fixture f;
  TopicSpec spec;
  spec.name = "placed";
  spec.assignments = {{1, {2, 3}}, {0, {3, 1}}};  // any order
  cluster::TopicMetadata created;
  REQUIRE(f.admin.create_topic(spec, false, &created).ok());
  auto topic = f.stored("placed");
  REQUIRE(topic->partitions.size() == 2);
  CHECK(topic->partitions[0].replicas == std::vector<std::int32_t>{3, 1});
  CHECK(topic->partitions[0].leader == 3);
  CHECK(topic->partitions[1].replicas == std::vector<std::int32_t>{2, 3});
  CHECK(created.topic_id == topic->topic_id);
}

TEST_CASE("create_topic errors", "[topic-admin]") {
  Fixture f;
  REQUIRE(f.create("exists").ok());

  auto check = [](AdminResult r, ErrorCode code, const std::string& fragment = "") {
    CHECK(r.error == code);
    if (!fragment.empty()) CHECK_THAT(r.message, Catch::Contains(fragment));
  };
  check(f.create("bad name"), ErrorCode::invalid_topic_exception, "bad name");
  check(f.create(""), ErrorCode::invalid_topic_exception);
  check(f.create(std::string(250, 'a')), ErrorCode::invalid_topic_exception);
  check(f.create("exists"), ErrorCode::topic_already_exists, "Topic 'exists' already exists.");
  check(f.create("p0", 0), ErrorCode::invalid_partitions);
  check(f.create("p-2", -2), ErrorCode::invalid_partitions);
  check(f.create("huge", 10001), ErrorCode::policy_violation);
  check(f.create("r0", 1, 0), ErrorCode::invalid_replication_factor);
  check(f.create("r-2", 1, -2), ErrorCode::invalid_replication_factor);
  check(f.create("r4", 1, 4), ErrorCode::invalid_replication_factor,
        "replication factor of 4 cannot be reached because only 3 broker(s) are registered");
  check(f.create("unknown-config", 1, 1, {{"no.such.config", "1"}}), ErrorCode::invalid_config,
        "Unknown topic config name: no.such.config");
  check(f.create("bad-value", 1, 1, {{"retention.ms", "soon"}}), ErrorCode::invalid_config,
        "Invalid value soon for configuration retention.ms");
  check(f.create("bad-policy", 1, 1, {{"cleanup.policy", "shred"}}), ErrorCode::invalid_config, "cleanup.policy");

  // '.' and '_' collide (metric names would clash).
  REQUIRE(f.create("a.b").ok());
  check(f.create("a_b"), ErrorCode::invalid_topic_exception, "collides with existing topic: a.b");

  TopicSpec spec;
  spec.name = "assigned";
  auto assigned = [&](std::vector<cluster::ReplicaAssignment> a, std::int32_t partitions = -1) {
    spec.assignments = std::move(a);
    spec.num_partitions = partitions;
    return f.admin.create_topic(spec, false);
  };
  check(assigned({{0, {1}}}, 2), ErrorCode::invalid_request, "Both numPartitions or replicationFactor");
  check(assigned({{0, {1}}, {2, {2}}}), ErrorCode::invalid_replica_assignment, "consecutive 0-based");
  check(assigned({{0, {1}}, {0, {2}}}), ErrorCode::invalid_replica_assignment, "consecutive 0-based");
  check(assigned({{0, {}}}), ErrorCode::invalid_replica_assignment, "empty replica list");
  check(assigned({{0, {1, 1}}}), ErrorCode::invalid_replica_assignment, "broker 1 more than once");
  check(assigned({{0, {1, 9}}}), ErrorCode::invalid_replica_assignment, "broker 9, but no such broker");
  check(assigned({{0, {1, 2}}, {1, {3}}}), ErrorCode::invalid_replica_assignment, "same number of replicas");

  // None of the failures wrote anything.
  auto topics = f.coordinator.list(cluster::kTopicsPrefix);
  std::set<std::string> names;
  for (const auto& kv : topics) names.insert(*cluster::topic_from_key(kv.key));
  CHECK(names == std::set<std::string>{"a.b", "exists"});
}

TEST_CASE("create_topic with validate_only writes nothing", "[topic-admin]") {
  Fixture f;
  TopicSpec spec;
  spec.name = "dry";
  spec.num_partitions = 4;
  spec.replication_factor = 2;
  spec.configs = {{"retention.ms", "5000"}};
  cluster::TopicMetadata would;
  REQUIRE(f.admin.create_topic(spec, true, &would).ok());
  CHECK(would.partitions.size() == 4);
  CHECK(would.configs.at("retention.ms") == "5000");
  CHECK(would.topic_id.is_zero());
  CHECK_FALSE(f.stored("dry"));
  CHECK_FALSE(f.cached("dry"));
  // And still reports what would fail.
  spec.replication_factor = 5;
  CHECK(f.admin.create_topic(spec, true).error == ErrorCode::invalid_replication_factor);
}

TEST_CASE("create_topic loses a creation race with TOPIC_ALREADY_EXISTS", "[topic-admin][cas]") {
  Fixture f;
  bool raced = false;
  f.admin.set_before_commit_hook([&](const std::string& key) {
    if (raced) return;
    raced = true;
    cluster::TopicMetadata other;
    other.name = "contested";
    other.topic_id = protocol::Uuid::random();
    other.partitions = {{0, 2, 0, {2}, {2}}};
    REQUIRE(f.coordinator.put(key, cluster::encode_topic(other), sdk::kMustNotExist).ok());
  });
  auto result = f.create("contested", 3, 1);
  CHECK(result.error == ErrorCode::topic_already_exists);
  CHECK(f.stored("contested")->partitions.size() == 1);  // the winner's record is untouched
}

TEST_CASE("a store without quorum makes admin operations retriable errors", "[topic-admin]") {
  Fixture f;
  REQUIRE(f.create("before").ok());
  f.coordinator.stop();  // reads still answer from the last state; commits cannot
  CHECK(f.admin.delete_topic("before").error == ErrorCode::request_timed_out);
  CHECK(f.topic_configs("before", {set("retention.ms", "1")}, true).error == ErrorCode::request_timed_out);
  CHECK(f.broker_configs("", {set("log.retention.ms", "1")}, true).error == ErrorCode::request_timed_out);
}

TEST_CASE("ensure_topic auto-creates with the defaults only when auto_create is on", "[topic-admin]") {
  Fixture f;
  f.config.topics.num_partitions = 2;
  REQUIRE(f.admin.ensure_topic("auto").ok());
  CHECK(f.stored("auto")->partitions.size() == 2);
  CHECK(f.admin.ensure_topic("auto").ok());  // exists: fine
  f.config.topics.auto_create = false;
  CHECK(f.admin.ensure_topic("manual").error == ErrorCode::unknown_topic_or_partition);
  CHECK_FALSE(f.stored("manual"));
  f.config.topics.auto_create = true;
  f.config.topics.replication_factor = 4;  // more than the 3 live brokers
  CHECK(f.admin.ensure_topic("too-wide").error == ErrorCode::invalid_replication_factor);
}

TEST_CASE("delete_topic by name and by id", "[topic-admin]") {
  Fixture f;
  REQUIRE(f.create("doomed", 2, 1).ok());
  REQUIRE(f.create("by-id", 1, 1).ok());
  REQUIRE(f.create("__consumer_offsets", 1, 1).ok());

  cluster::TopicMetadata deleted;
  REQUIRE(f.admin.delete_topic("doomed", &deleted).ok());
  CHECK(deleted.name == "doomed");
  CHECK(deleted.partitions.size() == 2);
  CHECK_FALSE(f.stored("doomed"));
  CHECK_FALSE(f.cached("doomed"));
  CHECK(f.admin.delete_topic("doomed").error == ErrorCode::unknown_topic_or_partition);

  auto id = f.stored("by-id")->topic_id;
  CHECK(f.admin.delete_topic(protocol::Uuid::random()).error == ErrorCode::unknown_topic_id);
  CHECK(f.admin.delete_topic(protocol::Uuid{}).error == ErrorCode::unknown_topic_id);
  REQUIRE(f.admin.delete_topic(id, &deleted).ok());
  CHECK(deleted.name == "by-id");
  CHECK_FALSE(f.stored("by-id"));

  // Re-created under the same name: the old id no longer names it.
  REQUIRE(f.create("by-id", 1, 1).ok());
  CHECK(f.admin.delete_topic(id).error == ErrorCode::unknown_topic_id);
  CHECK(f.stored("by-id"));

  // Kafka's broker deletes internal topics too (only kafka-topics refuses).
  CHECK(f.admin.delete_topic("__consumer_offsets").ok());
}

TEST_CASE("delete_topic retries when the record changes under it", "[topic-admin][cas]") {
  Fixture f;
  REQUIRE(f.create("moving", 1, 1).ok());
  int calls = 0;
  f.admin.set_before_commit_hook([&](const std::string&) {
    if (calls++ == 0) REQUIRE(f.topic_configs("moving", {set("retention.ms", "1")}, true).ok());
  });
  CHECK(f.admin.delete_topic("moving").ok());
  CHECK(calls >= 3);  // our delete, the concurrent change, our retried delete
  CHECK_FALSE(f.stored("moving"));
}

TEST_CASE("create_partitions grows topics", "[topic-admin]") {
  Fixture f;
  REQUIRE(f.create("grow", 1, 2).ok());
  auto before = *f.stored("grow");

  REQUIRE(f.admin.create_partitions("grow", 3, std::nullopt, false).ok());
  auto after = f.stored("grow");
  REQUIRE(after->partitions.size() == 3);
  CHECK(after->partitions[0] == before.partitions[0]);  // existing partitions untouched
  for (std::int32_t p = 1; p < 3; ++p) {
    CHECK(after->partitions[p].partition == p);
    CHECK(after->partitions[p].replicas.size() == 2);
    CHECK(after->partitions[p].leader == after->partitions[p].replicas[0]);
  }
  CHECK(after->topic_id == before.topic_id);
  CHECK(f.cached("grow")->partitions.size() == 3);

  auto shrink = f.admin.create_partitions("grow", 2, std::nullopt, false);
  CHECK(shrink.error == ErrorCode::invalid_partitions);
  CHECK(shrink.message == "Topic currently has 3 partitions, which is higher than the requested 2.");
  auto same = f.admin.create_partitions("grow", 3, std::nullopt, false);
  CHECK(same.error == ErrorCode::invalid_partitions);
  CHECK(same.message == "Topic already has 3 partitions.");
  CHECK(f.admin.create_partitions("nope", 3, std::nullopt, false).error == ErrorCode::unknown_topic_or_partition);
  CHECK(f.admin.create_partitions("grow", 20000, std::nullopt, false).error == ErrorCode::policy_violation);

  using Layout = std::vector<std::vector<std::int32_t>>;
  CHECK(f.admin.create_partitions("grow", 5, Layout{{1, 2}}, false).error == ErrorCode::invalid_replica_assignment);
  CHECK(f.admin.create_partitions("grow", 4, Layout{{1}}, false).error == ErrorCode::invalid_replica_assignment);
  CHECK(f.admin.create_partitions("grow", 4, Layout{{1, 7}}, false).error == ErrorCode::invalid_replica_assignment);
  CHECK(f.admin.create_partitions("grow", 4, Layout{{2, 2}}, false).error == ErrorCode::invalid_replica_assignment);

  auto version = f.version("grow");
  REQUIRE(f.admin.create_partitions("grow", 4, Layout{{3, 1}}, true).ok());  // validate_only
  CHECK(f.version("grow") == version);
  CHECK(f.stored("grow")->partitions.size() == 3);

  REQUIRE(f.admin.create_partitions("grow", 4, Layout{{3, 1}}, false).ok());
  CHECK(f.stored("grow")->partitions[3].replicas == std::vector<std::int32_t>{3, 1});

  Fixture narrow(1);
  REQUIRE(narrow.create("wide", 1, 1).ok());
  // A replication factor the live brokers can no longer satisfy.
  auto wide = *narrow.stored("wide");
  wide.partitions[0].replicas = wide.partitions[0].isr = {1, 2};
  REQUIRE(narrow.coordinator.put(cluster::topic_key("wide"), cluster::encode_topic(wide)).ok());
  CHECK(narrow.admin.create_partitions("wide", 2, std::nullopt, false).error == ErrorCode::invalid_replication_factor);
}

TEST_CASE("create_partitions decides again after losing a compare-and-set", "[topic-admin][cas]") {
  Fixture f;
  REQUIRE(f.create("raced", 1, 1).ok());
  auto grow_concurrently_to = [&](std::size_t count) {
    auto topic = *f.stored("raced");
    while (topic.partitions.size() < count) {
      auto p = static_cast<std::int32_t>(topic.partitions.size());
      topic.partitions.push_back({p, 2, 0, {2}, {2}});
    }
    REQUIRE(f.coordinator.put(cluster::topic_key("raced"), cluster::encode_topic(topic), f.version("raced")).ok());
  };

  SECTION("the concurrent change already did it") {
    bool once = false;
    f.admin.set_before_commit_hook([&](const std::string&) {
      if (!once) grow_concurrently_to(4), once = true;
    });
    auto result = f.admin.create_partitions("raced", 4, std::nullopt, false);
    CHECK(result.error == ErrorCode::invalid_partitions);
    CHECK(result.message == "Topic already has 4 partitions.");
  }
  SECTION("the retry builds on the concurrent change") {
    bool once = false;
    f.admin.set_before_commit_hook([&](const std::string&) {
      if (!once) grow_concurrently_to(3), once = true;
    });
    REQUIRE(f.admin.create_partitions("raced", 5, std::nullopt, false).ok());
    auto topic = f.stored("raced");
    REQUIRE(topic->partitions.size() == 5);
    CHECK(topic->partitions[2].replicas == std::vector<std::int32_t>{2});  // the concurrent writer's
  }
}

TEST_CASE("topic configs: full replace and incremental operations", "[topic-admin][configs]") {
  Fixture f;
  REQUIRE(f.create("conf", 1, 1, {{"retention.ms", "1000"}, {"segment.bytes", "1048576"}}).ok());
  auto configs = [&] { return f.stored("conf")->configs; };

  SECTION("AlterConfigs replaces the whole set") {
    REQUIRE(f.topic_configs("conf", {set("cleanup.policy", "compact")}, false).ok());
    CHECK(configs() == std::map<std::string, std::string>{{"cleanup.policy", "compact"}});
    CHECK(f.cached("conf")->configs == configs());
    REQUIRE(f.topic_configs("conf", {}, false).ok());
    CHECK(configs().empty());
  }
  SECTION("SET and DELETE") {
    REQUIRE(f.topic_configs("conf", {set("retention.ms", "2000"), erase_key("segment.bytes"), erase_key("flush.ms")}, true).ok());
    CHECK(configs() == std::map<std::string, std::string>{{"retention.ms", "2000"}});
  }
  SECTION("APPEND and SUBTRACT work on lists, from the default when unset") {
    REQUIRE(f.topic_configs("conf", {append("cleanup.policy", "compact")}, true).ok());
    CHECK(configs().at("cleanup.policy") == "delete,compact");
    REQUIRE(f.topic_configs("conf", {append("cleanup.policy", "compact,delete")}, true).ok());
    CHECK(configs().at("cleanup.policy") == "delete,compact");  // no duplicates
    REQUIRE(f.topic_configs("conf", {subtract("cleanup.policy", "delete")}, true).ok());
    CHECK(configs().at("cleanup.policy") == "compact");
    auto empty = f.topic_configs("conf", {subtract("cleanup.policy", "compact")}, true);
    CHECK(empty.error == ErrorCode::invalid_config);
    auto not_list = f.topic_configs("conf", {append("retention.ms", "5")}, true);
    CHECK(not_list.error == ErrorCode::invalid_config);
    CHECK(not_list.message == "Can't APPEND to key retention.ms because its type is not LIST.");
  }
  SECTION("errors name the key and change nothing") {
    auto version = f.version("conf");
    auto unknown = f.topic_configs("conf", {set("retention.ms", "5"), set("bogus.key", "1")}, true);
    CHECK(unknown.error == ErrorCode::invalid_config);
    CHECK(unknown.message == "Unknown topic config name: bogus.key");
    auto bad = f.topic_configs("conf", {set("segment.bytes", "-1")}, true);
    CHECK(bad.error == ErrorCode::invalid_config);
    CHECK_THAT(bad.message, Catch::StartsWith("Invalid value -1 for configuration segment.bytes:"));
    CHECK(f.topic_configs("conf", {set("min.insync.replicas", "x")}, false).error == ErrorCode::invalid_config);
    CHECK(f.topic_configs("conf", {set("retention.ms", "1"), set("retention.ms", "2")}, true).error ==
          ErrorCode::invalid_request);
    CHECK(f.topic_configs("conf", {{"retention.ms", 9, std::string("1")}}, true).error == ErrorCode::invalid_request);
    CHECK(f.topic_configs("conf", {{"retention.ms", 0, std::nullopt}}, true).error == ErrorCode::invalid_request);
    CHECK(f.topic_configs("missing", {set("retention.ms", "1")}, true).error == ErrorCode::unknown_topic_or_partition);
    CHECK(f.topic_configs("bad name", {set("retention.ms", "1")}, true).error == ErrorCode::invalid_topic_exception);
    CHECK(f.admin.alter_configs({32, "conf"}, {set("retention.ms", "1")}, true, false).error ==
          ErrorCode::invalid_request);
    CHECK(f.version("conf") == version);
  }
  SECTION("validate_only writes nothing") {
    auto version = f.version("conf");
    REQUIRE(f.topic_configs("conf", {set("retention.ms", "5")}, true, true).ok());
    REQUIRE(f.topic_configs("conf", {}, false, true).ok());
    CHECK(f.version("conf") == version);
    CHECK(configs().at("retention.ms") == "1000");
  }
  SECTION("a concurrent change is kept, not overwritten") {
    bool once = false;
    f.admin.set_before_commit_hook([&](const std::string&) {
      if (once) return;
      once = true;
      auto topic = *f.stored("conf");
      topic.configs["flush.ms"] = "10";
      REQUIRE(f.coordinator.put(cluster::topic_key("conf"), cluster::encode_topic(topic), f.version("conf")).ok());
    });
    REQUIRE(f.topic_configs("conf", {set("retention.ms", "7")}, true).ok());
    CHECK(configs() == std::map<std::string, std::string>{
                           {"flush.ms", "10"}, {"retention.ms", "7"}, {"segment.bytes", "1048576"}});
  }
}

TEST_CASE("dynamic broker configs: only the topic defaults, per broker and cluster-wide", "[topic-admin][configs]") {
  Fixture f;
  f.config.topics.config = {{"retention.ms", "100"}, {"segment.ms", "200"}};

  REQUIRE(f.broker_configs("", {set("log.retention.ms", "300"), set("log.cleanup.policy", "compact")}, true).ok());
  REQUIRE(f.broker_configs("1", {set("log.retention.ms", "400")}, true).ok());
  REQUIRE(f.broker_configs("2", {set("log.retention.ms", "500")}, true).ok());  // another broker's
  auto stored = [&](const std::string& which) {
    auto v = f.coordinator.get(std::string(cluster::kBrokerConfigsPrefix) + which);
    return v ? cluster::decode_config_map(v->data) : std::map<std::string, std::string>{};
  };
  CHECK(stored("default") == std::map<std::string, std::string>{{"log.cleanup.policy", "compact"}, {"log.retention.ms", "300"}});
  CHECK(stored("1") == std::map<std::string, std::string>{{"log.retention.ms", "400"}});

  // Effective defaults on broker 1: its own > cluster default > static.
  auto defaults = f.admin.topic_defaults();
  CHECK(defaults.at("retention.ms") == "400");
  CHECK(defaults.at("cleanup.policy") == "compact");
  CHECK(defaults.at("segment.ms") == "200");
  CHECK_FALSE(defaults.count("flush.ms"));

  SECTION("errors") {
    auto read_only = f.broker_configs("1", {set("num.io.threads", "8")}, true);
    CHECK(read_only.error == ErrorCode::invalid_request);
    CHECK(read_only.message == "Cannot update these configs dynamically: num.io.threads");
    CHECK(f.broker_configs("1", {set("retention.ms", "8")}, true).error == ErrorCode::invalid_request);  // topic name
    auto bad = f.broker_configs("1", {set("log.retention.ms", "later")}, true);
    CHECK(bad.error == ErrorCode::invalid_config);
    CHECK_THAT(bad.message, Catch::Contains("log.retention.ms"));
    CHECK(f.broker_configs("x", {set("log.retention.ms", "1")}, true).error == ErrorCode::invalid_request);
    CHECK(f.broker_configs("-1", {set("log.retention.ms", "1")}, true).error == ErrorCode::invalid_request);
  }
  SECTION("full replace, delete, validate_only and erasing an emptied record") {
    REQUIRE(f.broker_configs("1", {set("log.segment.bytes", "2000000")}, false, true).ok());
    CHECK(stored("1") == std::map<std::string, std::string>{{"log.retention.ms", "400"}});
    REQUIRE(f.broker_configs("1", {set("log.segment.bytes", "2000000")}, false).ok());
    CHECK(stored("1") == std::map<std::string, std::string>{{"log.segment.bytes", "2000000"}});
    REQUIRE(f.broker_configs("1", {erase_key("log.segment.bytes")}, true).ok());
    CHECK_FALSE(f.coordinator.get(std::string(cluster::kBrokerConfigsPrefix) + "1"));
    REQUIRE(f.broker_configs("", {append("log.cleanup.policy", "delete")}, true).ok());
    CHECK(stored("default").at("log.cleanup.policy") == "compact,delete");
  }
}

TEST_CASE("describe_configs reports values, sources and synonyms as Kafka does", "[topic-admin][configs]") {
  Fixture f;
  f.config.topics.config = {{"segment.ms", "200"}, {"flush.ms", "250"}};
  REQUIRE(f.create("desc", 1, 1, {{"retention.ms", "1000"}}).ok());
  REQUIRE(f.broker_configs("", {set("log.flush.interval.ms", "300"), set("log.retention.bytes", "999")}, true).ok());
  REQUIRE(f.broker_configs("1", {set("log.retention.bytes", "888")}, true).ok());

  auto topic = f.describe_topic("desc");
  REQUIRE(topic.result.ok());
  CHECK(topic.entries.size() == config::topic_config_definitions().size());

  const auto& overridden = entry(topic, "retention.ms");
  CHECK(overridden.value == "1000");
  CHECK(overridden.source == ConfigSource::topic);
  CHECK_FALSE(overridden.read_only);
  CHECK_FALSE(overridden.sensitive);
  CHECK(overridden.type == cluster::ConfigType::long_);
  CHECK_FALSE(overridden.documentation.empty());
  REQUIRE(overridden.synonyms.size() == 2);
  CHECK(overridden.synonyms[0].name == "retention.ms");
  CHECK(overridden.synonyms[0].source == ConfigSource::topic);
  CHECK(overridden.synonyms[1].name == "log.retention.ms");
  CHECK(overridden.synonyms[1].value == "604800000");
  CHECK(overridden.synonyms[1].source == ConfigSource::default_config);

  const auto& per_broker = entry(topic, "retention.bytes");
  CHECK(per_broker.value == "888");
  CHECK(per_broker.source == ConfigSource::dynamic_broker);
  REQUIRE(per_broker.synonyms.size() == 3);
  CHECK(per_broker.synonyms[1].source == ConfigSource::dynamic_default_broker);
  CHECK(per_broker.synonyms[1].value == "999");

  const auto& dynamic_default = entry(topic, "flush.ms");
  CHECK(dynamic_default.value == "300");
  CHECK(dynamic_default.source == ConfigSource::dynamic_default_broker);
  REQUIRE(dynamic_default.synonyms.size() == 3);
  CHECK(dynamic_default.synonyms[0].name == "log.flush.interval.ms");
  CHECK(dynamic_default.synonyms[1].source == ConfigSource::static_broker);
  CHECK(dynamic_default.synonyms[1].value == "250");

  const auto& static_default = entry(topic, "segment.ms");
  CHECK(static_default.value == "200");
  CHECK(static_default.source == ConfigSource::static_broker);
  CHECK(static_default.synonyms[0].name == "log.roll.ms");

  const auto& plain = entry(topic, "cleanup.policy");
  CHECK(plain.value == "delete");
  CHECK(plain.source == ConfigSource::default_config);
  CHECK(plain.type == cluster::ConfigType::list);
  REQUIRE(plain.synonyms.size() == 1);
  CHECK(plain.synonyms[0].name == "log.cleanup.policy");
  CHECK(entry(topic, "preallocate").type == cluster::ConfigType::boolean);
  CHECK(entry(topic, "min.cleanable.dirty.ratio").type == cluster::ConfigType::double_);
  CHECK(entry(topic, "segment.bytes").type == cluster::ConfigType::int_);
  CHECK(entry(topic, "compression.type").type == cluster::ConfigType::string);

  SECTION("this broker") {
    auto broker = f.describe_broker("1");
    REQUIRE(broker.result.ok());
    CHECK(entry(broker, "log.retention.bytes").value == "888");
    CHECK(entry(broker, "log.retention.bytes").source == ConfigSource::dynamic_broker);
    CHECK_FALSE(entry(broker, "log.retention.bytes").read_only);
    CHECK(entry(broker, "log.flush.interval.ms").source == ConfigSource::dynamic_default_broker);
    CHECK(entry(broker, "log.roll.ms").source == ConfigSource::static_broker);
    CHECK(entry(broker, "log.retention.ms").source == ConfigSource::default_config);
    CHECK(entry(broker, "log.retention.ms").value == "604800000");
    CHECK(entry(broker, "broker.id").value == "1");
    CHECK(entry(broker, "broker.id").read_only);
    CHECK(entry(broker, "num.partitions").type == cluster::ConfigType::int_);
    CHECK(entry(broker, "broker.rack").value == std::nullopt);
    CHECK(entry(broker, "auto.create.topics.enable").value == "true");
    CHECK_FALSE(has_entry(broker, "retention.ms"));  // topic names are not broker configs
    CHECK(std::is_sorted(broker.entries.begin(), broker.entries.end(),
                         [](const auto& a, const auto& b) { return a.name < b.name; }));
  }
  SECTION("the cluster default resource lists only what is set there") {
    auto defaults = f.describe_broker("");
    REQUIRE(defaults.result.ok());
    REQUIRE(defaults.entries.size() == 2);
    CHECK(defaults.entries[0].name == "log.flush.interval.ms");
    CHECK(defaults.entries[0].source == ConfigSource::dynamic_default_broker);
    CHECK(defaults.entries[1].name == "log.retention.bytes");
    CHECK(defaults.entries[1].value == "999");
  }
  SECTION("errors") {
    CHECK(f.describe_topic("missing").result.error == ErrorCode::unknown_topic_or_partition);
    CHECK(f.describe_topic("bad/name").result.error == ErrorCode::invalid_topic_exception);
    auto other = f.describe_broker("2");
    CHECK(other.result.error == ErrorCode::invalid_request);
    CHECK(other.result.message == "Unexpected broker id, expected 1 or empty string, but received 2");
    CHECK(f.admin.describe_configs({3, "group"}).result.error == ErrorCode::invalid_request);
  }
}

TEST_CASE("after an admin call returns, no older change of the topic reaches the cache", "[topic-admin]") {
  // Each call waits for the coordinator's watch to deliver its own commit,
  // so a delivery of the previous commit cannot undo it afterwards.
  Fixture f;
  for (int round = 0; round < 50; ++round) {
    INFO("round " << round);
    REQUIRE(f.create("flicker", 1, 1).ok());
    REQUIRE(f.cached("flicker"));
    REQUIRE(f.topic_configs("flicker", {set("retention.ms", std::to_string(round + 1))}, true).ok());
    CHECK(f.cached("flicker")->configs.at("retention.ms") == std::to_string(round + 1));
    REQUIRE(f.admin.delete_topic("flicker").ok());
    CHECK_FALSE(f.cached("flicker"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(f.cached("flicker"));
}
