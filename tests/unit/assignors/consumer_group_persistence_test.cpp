// KIP-848 groups in __consumer_offsets: the records' layout (Kafka's key
// versions 3-8), the journal a manager writes, a second manager rebuilt from
// it (members carry on with their id and epoch, sessions restart at load,
// tombstones remove), heartbeats answered once durable, and regex
// subscriptions.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "groups/consumer/consumer_group_journal.hpp"
#include "groups/consumer/consumer_group_manager.hpp"
#include "groups/consumer/consumer_group_records.hpp"
#include "fake_cluster_metadata.hpp"
#include "logging/logging.hpp"
#include "range_assignor.hpp"
#include "support/memory_group_log.hpp"
#include "uniform_assignor.hpp"

namespace {

using namespace brokkr;
using namespace brokkr::groups::consumer;
using Request = protocol::ConsumerGroupHeartbeatRequest;
using Response = protocol::ConsumerGroupHeartbeatResponse;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int16_t kNone = 0;
constexpr std::int16_t kUnknownMemberId = 25;
constexpr std::int16_t kInvalidRegularExpression = 128;

using Cluster = test::FakeClusterMetadata;

struct Fixture {
  Cluster cluster;
  Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
  assignors::UniformAssignor uniform;
  assignors::RangeAssignor range;
  test::MemoryGroupLog log{3};
  ConsumerGroupSettings settings{45000, 5000, 1000};
  std::unique_ptr<ConsumerGroupManager> manager = make();
  Fixture() { logging::get("groups")->set_level(spdlog::level::warn); }

  std::unique_ptr<ConsumerGroupManager> make() {
    auto m = std::make_unique<ConsumerGroupManager>(
        settings, std::vector<sdk::Assignor*>{&uniform, &range}, [this] { return cluster.snapshot; },
        [this] { return now; });
    m->set_log(&log);
    return m;
  }
  // A broker restart: a new manager rebuilt from the log, as load() does.
  void restart() {
    manager = make();
    for (std::int32_t p = 0; p < log.partition_count(); ++p) {
      groups::GroupLogVisitor visitor;
      visitor.other_record = [this](std::int16_t, std::span<const std::uint8_t> key,
                                    std::optional<std::span<const std::uint8_t>> value) {
        return manager->replay_record(key, value);
      };
      log.load_partition(p, visitor);
      manager->replay_done();
    }
  }
  Response send(const Request& r) { return manager->heartbeat(r, {"client", "/127.0.0.1"}); }
};

struct Member {
  Fixture& f;
  std::string group;
  std::string id;
  std::vector<std::string> topics{};
  std::optional<std::string> regex{};
  std::int32_t epoch = 0;
  std::set<std::pair<std::string, std::int32_t>> owned{};

  Request request() const {
    Request r;
    r.group_id = group;
    r.member_id = id;
    r.member_epoch = epoch;
    if (epoch == 0) {
      r.rebalance_timeout_ms = 30000;
      if (!topics.empty() || !regex) r.subscribed_topic_names = topics;
      r.subscribed_topic_regex = regex;
    }
    std::map<std::string, std::vector<std::int32_t>> by_topic;
    for (const auto& [t, p] : owned) by_topic[t].push_back(p);
    r.topic_partitions.emplace();
    for (const auto& [t, ps] : by_topic) r.topic_partitions->push_back({f.cluster.id(t), ps, {}});
    return r;
  }
  Response heartbeat() {
    Response r = f.send(request());
    if (r.error_code == kNone) {
      epoch = r.member_epoch;
      if (r.assignment) {
        owned.clear();
        for (const auto& tps : r.assignment->topic_partitions) {
          for (auto p : tps.partitions) owned.emplace(f.cluster.name(tps.topic_id), p);
        }
      }
    }
    return r;
  }
  std::set<std::string> owned_topics() const {
    std::set<std::string> out;
    for (const auto& [t, p] : owned) out.insert(t);
    return out;
  }
};

std::size_t member_count(const protocol::ConsumerGroupDescribeResponse::DescribedGroup& d) { return d.members.size(); }

}  // namespace

TEST_CASE("consumer group records have Kafka's layout", "[consumer_groups][persistence]") {
  // ConsumerGroupMetadataKey: int16 3, string "g1"; value: int16 0, int32 epoch, no tagged fields.
  CHECK(encode_consumer_key(RecordType::group_metadata, "g1") == Bytes{0, 3, 0, 2, 'g', '1'});
  CHECK(encode_epoch_value(5) == Bytes{0, 0, 0, 0, 0, 5, 0});
  CHECK(encode_consumer_key(RecordType::member_metadata, "g", "m") == Bytes{0, 5, 0, 1, 'g', 0, 1, 'm'});
  auto key = decode_consumer_key(encode_consumer_key(RecordType::current_member_assignment, "g", "m"));
  REQUIRE(key);
  CHECK(key->type == RecordType::current_member_assignment);
  CHECK(key->group_id == "g");
  CHECK(key->member_id == "m");
  CHECK_FALSE(decode_consumer_key(Bytes{0, 2, 0, 1, 'g'}));  // a classic group
  CHECK_FALSE(decode_consumer_key(Bytes{0, 9, 0, 1, 'g'}));  // not ours
  CHECK(decode_epoch_value(Bytes{0, 1, 0, 0, 0, 7, 0}) == 7);  // a later value version reads as 0

  ConsumerGroupMember m;
  m.member_id = "m";
  m.instance_id = "i";
  m.client_id = "c";
  m.client_host = "/h";
  m.subscribed_topic_names = {"a", "b"};
  m.subscribed_topic_regex = "o.*";
  m.rebalance_timeout_ms = 1234;
  m.server_assignor = "uniform";
  m.member_epoch = 7;
  m.previous_member_epoch = 6;
  m.state = MemberState::unrevoked_partitions;
  auto t1 = protocol::Uuid::random();
  m.assigned[t1] = {0, 2};
  m.pending_revocation[t1] = {1};
  ConsumerGroupMember back;
  decode_member_metadata(encode_member_metadata(m), back);
  decode_current_assignment(encode_current_assignment(m), back);
  CHECK(back.instance_id == m.instance_id);
  CHECK_FALSE(back.rack_id);
  CHECK(back.client_host == "/h");
  CHECK(back.subscribed_topic_names == m.subscribed_topic_names);
  CHECK(back.subscribed_topic_regex == m.subscribed_topic_regex);
  CHECK(back.rebalance_timeout_ms == 1234);
  CHECK(back.server_assignor == m.server_assignor);
  CHECK(back.member_epoch == 7);
  CHECK(back.previous_member_epoch == 6);
  CHECK(back.state == MemberState::unrevoked_partitions);
  CHECK(back.assigned == m.assigned);
  CHECK(back.pending_revocation == m.pending_revocation);
  // State byte: Kafka's MemberState.UNREVOKED_PARTITIONS = 1, right after the two epochs.
  CHECK(encode_current_assignment(m)[2 + 8] == 1);

  SubscriptionMetadata metadata;
  metadata["orders"] = SubscribedTopic{t1, 3, {{"r1"}, {}, {"r1", "r2"}}};
  metadata["plain"] = SubscribedTopic{protocol::Uuid::random(), 2, {{}, {}}};
  CHECK(decode_partition_metadata(encode_partition_metadata(metadata)) == metadata);
  CHECK(decode_target_member(encode_target_member(m.assigned)) == m.assigned);
  CHECK_THROWS(decode_target_member(Bytes{0, 0, 5}));
}

TEST_CASE("a restarted manager continues KIP-848 members where they were", "[consumer_groups][persistence]") {
  Fixture f;
  f.cluster.topic("orders", 4);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  for (int i = 0; i < 4; ++i) {
    a.heartbeat();
    b.heartbeat();
  }
  REQUIRE(a.owned.size() == 2);
  REQUIRE(b.owned.size() == 2);
  auto before = f.manager->describe("g", false);
  REQUIRE(before.group_state == "Stable");

  // A steady heartbeat writes nothing.
  int writes = f.log.record_writes;
  a.heartbeat();
  CHECK(f.log.record_writes == writes);

  f.now += std::chrono::seconds(30);
  f.restart();
  auto after = f.manager->describe("g", false);
  CHECK(after.error_code == kNone);
  CHECK(after.group_state == "Stable");
  CHECK(after.group_epoch == before.group_epoch);
  CHECK(after.assignment_epoch == before.assignment_epoch);
  REQUIRE(member_count(after) == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(after.members[i].member_id == before.members[i].member_id);
    CHECK(after.members[i].member_epoch == before.members[i].member_epoch);
    CHECK(after.members[i].subscribed_topic_names == before.members[i].subscribed_topic_names);
    REQUIRE(after.members[i].assignment.topic_partitions.size() == 1);
    CHECK(after.members[i].assignment.topic_partitions[0].partitions ==
          before.members[i].assignment.topic_partitions[0].partitions);
  }
  CHECK(f.manager->is_consumer_group("g"));

  // The members heartbeat with their id and epoch: no rejoin, no new epoch.
  auto owned = a.owned;
  const auto epoch = a.epoch;
  auto r = a.heartbeat();
  CHECK(r.error_code == kNone);
  CHECK(r.member_epoch == epoch);
  CHECK(a.owned == owned);
  CHECK(b.heartbeat().error_code == kNone);
  CHECK(f.manager->describe("g", false).group_epoch == before.group_epoch);
  // Offsets of the restored members are checked against the restored epochs.
  CHECK(f.manager->validate_offset_commit("g", "a", epoch) == protocol::ErrorCode::none);
}

TEST_CASE("sessions restart at load; tombstones remove members and groups", "[consumer_groups][persistence]") {
  Fixture f;
  f.cluster.topic("orders", 2);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  Member c{f, "gone", "c", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  c.heartbeat();
  // c leaves; its group is then deleted.
  Request leave = c.request();
  leave.member_epoch = -1;
  REQUIRE(f.send(leave).error_code == kNone);
  REQUIRE(f.manager->delete_group("gone") == protocol::ErrorCode::none);

  f.now += std::chrono::minutes(10);  // long past every session: only a load restarts them
  f.restart();
  CHECK_FALSE(f.manager->is_consumer_group("gone"));
  REQUIRE(member_count(f.manager->describe("g", false)) == 2);
  f.now += std::chrono::seconds(40);
  f.manager->expire_members();
  CHECK(member_count(f.manager->describe("g", false)) == 2);  // within the session timeout of the load
  a.heartbeat();
  f.now += std::chrono::seconds(10);  // b: 50 s since the load
  f.manager->expire_members();
  auto d = f.manager->describe("g", false);
  REQUIRE(member_count(d) == 1);
  CHECK(d.members[0].member_id == "a");
  // The fencing is durable too.
  f.restart();
  CHECK(member_count(f.manager->describe("g", false)) == 1);
  CHECK(b.heartbeat().error_code == kUnknownMemberId);
}

TEST_CASE("the asynchronous heartbeat answers once the write is durable", "[consumer_groups][persistence]") {
  Fixture f;
  f.cluster.topic("orders", 1);
  Member a{f, "g", "a", {"orders"}};
  f.log.hold(true);
  std::optional<Response> answer;
  f.manager->heartbeat(a.request(), {"client", "/h"}, [&](Response r) { answer = std::move(r); });
  CHECK_FALSE(answer);
  f.log.release();
  REQUIRE(answer);
  CHECK(answer->error_code == kNone);
  CHECK(answer->member_epoch == 1);
  f.log.hold(false);

  // A failed write answers its error.
  f.log.fail_next(protocol::ErrorCode::not_coordinator);
  Member b{f, "g", "b", {"orders"}};
  answer.reset();
  f.manager->heartbeat(b.request(), {"client", "/h"}, [&](Response r) { answer = std::move(r); });
  REQUIRE(answer);
  CHECK(answer->error_code == protocol::code(protocol::ErrorCode::not_coordinator));
}

TEST_CASE("regex subscriptions follow the topics", "[consumer_groups][regex]") {
  Fixture f;
  f.cluster.topic("orders-a", 2);
  f.cluster.topic("payments", 2);
  f.cluster.topic("__orders-internal", 1, true);

  Member bad{f, "g", "x", {}, std::string("orders-(")};
  CHECK(bad.heartbeat().error_code == kInvalidRegularExpression);

  Member a{f, "g", "a", {}, std::string("orders-.*")};
  REQUIRE(a.heartbeat().error_code == kNone);
  CHECK(a.owned_topics() == std::set<std::string>{"orders-a"});
  const auto epoch = a.epoch;
  a.heartbeat();
  CHECK(a.epoch == epoch);  // nothing changed

  // Full match: "orders-.*" does not match "xorders-a".
  f.cluster.topic("xorders-a", 1);
  a.heartbeat();
  CHECK(a.epoch == epoch);
  // A new matching topic bumps the group epoch and is assigned.
  f.cluster.topic("orders-b", 1);
  a.heartbeat();
  a.heartbeat();
  CHECK(a.epoch > epoch);
  CHECK(a.owned_topics() == std::set<std::string>{"orders-a", "orders-b"});
  auto d = f.manager->describe("g", false);
  REQUIRE(d.members.size() == 1);
  CHECK(d.members[0].subscribed_topic_regex == std::optional<std::string>("orders-.*"));

  // The regex is durable: after a restart nothing moves.
  const auto group_epoch = d.group_epoch;
  f.restart();
  CHECK(f.manager->describe("g", false).members[0].subscribed_topic_regex == std::optional<std::string>("orders-.*"));
  auto r = a.heartbeat();
  CHECK(r.error_code == kNone);
  CHECK(f.manager->describe("g", false).group_epoch == group_epoch);
  // OffsetDelete sees the regex's topics as subscribed.
  CHECK(f.manager->subscribed_topics("g") == std::optional<std::set<std::string>>({"orders-a", "orders-b"}));

  // An empty regex drops it (names remain).
  Request change = a.request();
  change.subscribed_topic_regex = "";
  change.subscribed_topic_names = std::vector<std::string>{"payments"};
  REQUIRE(f.send(change).error_code == kNone);
  CHECK(f.manager->subscribed_topics("g") == std::optional<std::set<std::string>>({"payments"}));
}

TEST_CASE("classic members are told about consumer groups", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 1);
  Member a{f, "g", "a", {"orders"}};
  Request r = a.request();
  r.instance_id = "i";
  f.send(r);
  CHECK(f.manager->validate_classic_member("g", "a", std::nullopt) == protocol::ErrorCode::unknown_member_id);
  CHECK(f.manager->validate_classic_member("g", "z", std::string("i")) == protocol::ErrorCode::fenced_instance_id);
  CHECK(f.manager->validate_classic_member("g", "a", std::string("i")) == protocol::ErrorCode::unknown_member_id);
  CHECK(f.manager->validate_classic_member("nope", "a", std::nullopt) == protocol::ErrorCode::group_id_not_found);
}
