// The KIP-848 consumer group manager with the real assignor cores: joins,
// epochs, revocation before reassignment, fencing by session timeout (on a
// fake clock), metadata changes, static members, errors, a misbehaving
// assignor, and a randomized run checking that no partition ever has two
// owners and that the group converges.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "groups/consumer/consumer_group_manager.hpp"
#include "groups/consumer/group_errors.hpp"
#include "fake_cluster_metadata.hpp"
#include "logging/logging.hpp"
#include "range_assignor.hpp"
#include "roundrobin_assignor.hpp"
#include "uniform_assignor.hpp"

namespace {

using namespace brokkr;
using groups::consumer::Clock;
using groups::consumer::ConsumerGroupManager;
using groups::consumer::ConsumerGroupSettings;
using Request = protocol::ConsumerGroupHeartbeatRequest;
using Response = protocol::ConsumerGroupHeartbeatResponse;
using Owned = std::set<std::pair<std::string, std::int32_t>>;  // (topic name, partition)

constexpr std::int16_t kNone = 0;
constexpr std::int16_t kUnknownMemberId = 25;
constexpr std::int16_t kInvalidRequest = 42;
constexpr std::int16_t kGroupIdNotFound = 69;
constexpr std::int16_t kFencedInstanceId = 82;
constexpr std::int16_t kFencedMemberEpoch = 110;
constexpr std::int16_t kUnreleasedInstanceId = 111;
constexpr std::int16_t kUnsupportedAssignor = 112;

using Cluster = test::FakeClusterMetadata;

struct Fixture {
  Cluster cluster;
  Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
  assignors::UniformAssignor uniform;
  assignors::RangeAssignor range;
  assignors::RoundRobinAssignor roundrobin;
  ConsumerGroupSettings settings{45000, 5000, 1000};
  std::unique_ptr<ConsumerGroupManager> manager = make({&uniform, &range, &roundrobin});
  Fixture() { logging::get("groups")->set_level(spdlog::level::warn); }  // joins and fences are routine here

  std::unique_ptr<ConsumerGroupManager> make(std::vector<sdk::Assignor*> assignors) {
    return std::make_unique<ConsumerGroupManager>(
        settings, std::move(assignors), [this] { return cluster.snapshot; }, [this] { return now; });
  }
  Response send(const Request& r) { return manager->heartbeat(r, {"client", "/127.0.0.1"}); }
};

// An honest KIP-848 client: reports what it owns, takes what it is given.
struct Member {
  Fixture& f;
  std::string group;
  std::string id;
  std::vector<std::string> topics{};
  std::optional<std::string> assignor{};
  std::optional<std::string> instance{};
  std::int32_t epoch = 0;
  Owned owned{};
  Response last{};

  Request request(bool full = false) const {
    Request r;
    r.group_id = group;
    r.member_id = id;
    r.member_epoch = epoch;
    r.instance_id = instance;
    if (epoch == 0 || full) {
      r.rebalance_timeout_ms = 30000;
      r.subscribed_topic_names = topics;
      r.server_assignor = assignor;
    }
    std::map<std::string, std::vector<std::int32_t>> by_topic;
    for (const auto& [t, p] : owned) by_topic[t].push_back(p);
    r.topic_partitions.emplace();
    for (const auto& [t, ps] : by_topic) {
      Request::TopicPartitions tps;
      tps.topic_id = f.cluster.id(t);
      tps.partitions = ps;
      r.topic_partitions->push_back(tps);
    }
    return r;
  }

  Response heartbeat() {
    last = f.send(request());
    if (last.error_code == kNone) {
      if (last.member_id) id = *last.member_id;
      epoch = last.member_epoch;
      if (last.assignment) {
        owned.clear();
        for (const auto& tps : last.assignment->topic_partitions) {
          for (auto p : tps.partitions) owned.emplace(f.cluster.name(tps.topic_id), p);
        }
      }
    }
    return last;
  }
};

Owned all_of(const std::string& topic, int n) {
  Owned out;
  for (int p = 0; p < n; ++p) out.emplace(topic, p);
  return out;
}

}  // namespace

TEST_CASE("a lone member gets every partition at epoch 1", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 6);
  Member a{f, "g", "member-a", {"orders"}};
  auto r = a.heartbeat();
  REQUIRE(r.error_code == kNone);
  CHECK(*r.member_id == "member-a");
  CHECK(r.member_epoch == 1);
  CHECK(r.heartbeat_interval_ms == 5000);
  REQUIRE(r.assignment);
  CHECK(a.owned == all_of("orders", 6));
  // A steady heartbeat carries no assignment (nothing changed).
  r = a.heartbeat();
  CHECK(r.member_epoch == 1);
  CHECK(!r.assignment);
}

TEST_CASE("an empty member id gets one generated", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 1);
  Member a{f, "g", "", {"orders"}};
  auto r = a.heartbeat();
  REQUIRE(r.error_code == kNone);
  REQUIRE(r.member_id);
  CHECK(r.member_id->size() == 22);
}

TEST_CASE("a second member gets partitions only after the first revoked them", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 6);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  REQUIRE(a.owned.size() == 6);

  auto rb = b.heartbeat();
  REQUIRE(rb.error_code == kNone);
  CHECK(rb.member_epoch == 2);   // the new target's epoch ...
  CHECK(b.owned.empty());        // ... but a still owns everything

  auto ra = a.heartbeat();       // a learns what to give up, at its old epoch
  CHECK(ra.member_epoch == 1);
  CHECK(a.owned.size() == 3);

  b.heartbeat();                 // a has not acknowledged yet: still nothing
  CHECK(b.owned.empty());

  ra = a.heartbeat();            // acknowledges the revocation
  CHECK(ra.member_epoch == 2);
  b.heartbeat();
  CHECK(b.owned.size() == 3);
  for (const auto& tp : b.owned) CHECK(a.owned.count(tp) == 0);

  auto d = f.manager->describe("g", false);
  CHECK(d.group_state == "Stable");
  CHECK(d.group_epoch == 2);
  CHECK(d.assignment_epoch == 2);
  CHECK(d.assignor_name == "uniform");
  REQUIRE(d.members.size() == 2);
  CHECK(d.members[0].member_id == "a");
  CHECK(d.members[0].client_host == "/127.0.0.1");
  CHECK(d.members[0].assignment.topic_partitions.at(0).topic_name == "orders");
  CHECK(d.members[0].assignment.topic_partitions.at(0).partitions.size() == 3);
  CHECK(d.members[1].target_assignment.topic_partitions.at(0).partitions.size() == 3);
}

TEST_CASE("the group's assignor comes from server_assignor, else the first offered", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("x", 3);
  f.cluster.topic("y", 3);
  for (std::string assignor : {"range", "roundrobin", "uniform"}) {
    Member a{f, "g-" + assignor, "a", {"x", "y"}, assignor};
    Member b{f, "g-" + assignor, "b", {"x", "y"}, assignor};
    a.heartbeat();
    b.heartbeat();
    for (int i = 0; i < 3; ++i) { a.heartbeat(); b.heartbeat(); }
    auto d = f.manager->describe("g-" + assignor, false);
    CHECK(d.assignor_name == assignor);
    CHECK(d.group_state == "Stable");
    CHECK(a.owned.size() + b.owned.size() == 6);
    if (assignor == "range") {  // per topic: a gets 0-1 of x and y
      CHECK(a.owned == Owned{{"x", 0}, {"x", 1}, {"y", 0}, {"y", 1}});
    }
  }
  Member c{f, "g-default", "c", {"x"}};
  c.heartbeat();
  CHECK(f.manager->describe("g-default", false).assignor_name == "uniform");
}

TEST_CASE("errors: unknown assignor, stale epoch, unknown member, bad requests", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 2);
  Member a{f, "g", "a", {"orders"}, std::string("nope")};
  auto r = a.heartbeat();
  CHECK(r.error_code == kUnsupportedAssignor);
  CHECK(r.error_message->find("uniform") != std::string::npos);

  a.assignor.reset();
  REQUIRE(a.heartbeat().error_code == kNone);
  Member b{f, "g", "b", {"orders"}};
  b.heartbeat();
  a.heartbeat();
  a.heartbeat();  // a now at epoch 2
  REQUIRE(a.epoch == 2);

  Request stale = a.request();
  stale.member_epoch = 1;  // a's previous epoch, but with partitions it does not have
  stale.topic_partitions->push_back({f.cluster.id("orders"), {0, 1}, {}});  // not a subset
  CHECK(f.send(stale).error_code == kFencedMemberEpoch);
  Request ahead = a.request();
  ahead.member_epoch = 7;
  CHECK(f.send(ahead).error_code == kFencedMemberEpoch);

  Request unknown = a.request();
  unknown.member_id = "who";
  CHECK(f.send(unknown).error_code == kUnknownMemberId);
  unknown.group_id = "no-such-group";
  CHECK(f.send(unknown).error_code == kGroupIdNotFound);

  Request regex = a.request();
  regex.subscribed_topic_regex = "ord[";  // not a valid regex: INVALID_REGULAR_EXPRESSION
  CHECK(f.send(regex).error_code == 128);
  Request bad_join = a.request();
  bad_join.member_epoch = 0;
  bad_join.rebalance_timeout_ms = 1000;
  bad_join.subscribed_topic_names = std::vector<std::string>{};
  CHECK(f.send(bad_join).error_code == kInvalidRequest);
  Request bad_epoch = a.request();
  bad_epoch.member_epoch = -3;
  CHECK(f.send(bad_epoch).error_code == kInvalidRequest);
  Request no_group = a.request();
  no_group.group_id = "";
  CHECK(f.send(no_group).error_code == kInvalidRequest);

  // The previous epoch with a subset of the partitions is accepted (a lost response).
  Request previous = a.request();
  previous.member_epoch = 1;
  CHECK(f.send(previous).error_code == kNone);
}

TEST_CASE("a silent member is fenced after the session timeout and its partitions move", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 6);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  for (int i = 0; i < 3; ++i) { a.heartbeat(); b.heartbeat(); }
  REQUIRE(a.owned.size() == 3);
  REQUIRE(b.owned.size() == 3);

  f.now += std::chrono::milliseconds(30000);
  a.heartbeat();  // a keeps its session
  f.now += std::chrono::milliseconds(20000);  // b silent for 50 s > 45 s
  f.manager->expire_members();
  auto d = f.manager->describe("g", false);
  REQUIRE(d.members.size() == 1);
  CHECK(d.group_epoch == 3);
  auto r = a.heartbeat();
  CHECK(r.member_epoch == 3);
  CHECK(a.owned == all_of("orders", 6));
  CHECK(b.heartbeat().error_code == kUnknownMemberId);
  // b rejoins from scratch.
  b.epoch = 0;
  b.owned.clear();
  CHECK(b.heartbeat().error_code == kNone);
}

TEST_CASE("a member that does not revoke in its rebalance timeout is fenced", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 4);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  auto r = f.send(a.request());  // told to revoke; never acknowledges
  REQUIRE(r.assignment);
  REQUIRE(r.assignment->topic_partitions.at(0).partitions.size() == 2);
  f.now += std::chrono::milliseconds(31000);
  b.heartbeat();
  f.manager->expire_members();
  b.heartbeat();
  CHECK(b.owned == all_of("orders", 4));
}

TEST_CASE("partitions added to a subscribed topic bump the group epoch", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 2);
  Member a{f, "g", "a", {"orders", "later"}};
  a.heartbeat();
  REQUIRE(a.epoch == 1);
  f.cluster.topic("orders", 5);
  a.heartbeat();
  CHECK(a.epoch == 2);
  CHECK(a.owned == all_of("orders", 5));
  f.cluster.topic("later", 1);  // a subscribed topic appears
  a.heartbeat();
  CHECK(a.epoch == 3);
  CHECK(a.owned.count({"later", 0}) == 1);
}

TEST_CASE("leaving frees the partitions for the others", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 4);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  for (int i = 0; i < 3; ++i) { a.heartbeat(); b.heartbeat(); }
  Request leave = b.request();
  leave.member_epoch = -1;
  auto r = f.send(leave);
  CHECK(r.error_code == kNone);
  CHECK(r.member_epoch == -1);
  a.heartbeat();
  CHECK(a.owned == all_of("orders", 4));
  CHECK(f.manager->describe("g", false).members.size() == 1);
  CHECK(f.send(leave).error_code == kUnknownMemberId);
}

TEST_CASE("static members: a temporary leave keeps the partitions for the next instance", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 4);
  Member a{f, "g", "a1", {"orders"}};
  a.instance = "instance-a";
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  for (int i = 0; i < 3; ++i) { a.heartbeat(); b.heartbeat(); }
  Owned kept = a.owned;
  REQUIRE(kept.size() == 2);

  Member intruder{f, "g", "a2", {"orders"}};
  intruder.instance = "instance-a";
  CHECK(intruder.heartbeat().error_code == kUnreleasedInstanceId);

  Request pause = a.request();
  pause.member_epoch = -2;
  REQUIRE(f.send(pause).error_code == kNone);
  b.heartbeat();
  CHECK(b.owned.size() == 2);  // a's partitions are not handed out

  Member back{f, "g", "a2", {"orders"}};
  back.instance = "instance-a";
  auto r = back.heartbeat();
  REQUIRE(r.error_code == kNone);
  CHECK(back.owned == kept);
  CHECK(f.manager->describe("g", false).members.size() == 2);
  Request old = a.request();
  old.member_epoch = a.epoch;
  CHECK(f.send(old).error_code == kFencedInstanceId);
}

TEST_CASE("a misbehaving assignor cannot give a partition twice or to a non-subscriber", "[consumer_groups]") {
  struct Greedy final : sdk::Assignor {
    std::string name() const override { return "greedy"; }
    sdk::Assignment assign(const sdk::AssignmentInput& input) override {
      sdk::Assignment out;
      for (const auto& m : input.members) {
        out[m.member_id] = {{"orders", {0, 1, 2, 99, -1}}, {"other", {0}}};
      }
      out["ghost"] = {{"orders", {3}}};
      return out;
    }
  } greedy;
  struct Broken final : sdk::Assignor {
    std::string name() const override { return "broken"; }
    sdk::Assignment assign(const sdk::AssignmentInput&) override { throw std::runtime_error("boom"); }
  } broken;
  Fixture f;
  f.manager = f.make({&greedy, &broken});
  f.cluster.topic("orders", 4);
  f.cluster.topic("other", 1);
  Member a{f, "g", "a", {"orders"}};
  Member b{f, "g", "b", {"orders"}};
  a.heartbeat();
  b.heartbeat();
  for (int i = 0; i < 3; ++i) { a.heartbeat(); b.heartbeat(); }
  CHECK(a.owned == Owned{{"orders", 0}, {"orders", 1}, {"orders", 2}});
  CHECK(b.owned.empty());

  Member c{f, "g2", "c", {"orders"}, std::string("broken")};
  auto r = c.heartbeat();
  CHECK(r.error_code == -1);  // UNKNOWN_SERVER_ERROR, broker fine
  CHECK(f.manager->describe("g2", false).members.empty());
}

TEST_CASE("offset commit checks for the classic coordinator", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 2);
  Member a{f, "g", "a", {"orders"}};
  a.heartbeat();
  const auto& m = *f.manager;
  CHECK(m.is_consumer_group("g"));
  CHECK(!m.is_consumer_group("classic"));
  CHECK(m.validate_offset_commit("g", "a", 1) == protocol::ErrorCode::none);
  CHECK(m.validate_offset_commit("g", "a", 0) == groups::consumer::kStaleMemberEpoch);
  CHECK(m.validate_offset_commit("g", "x", 1) == protocol::ErrorCode::unknown_member_id);
  CHECK(m.validate_offset_commit("g", "", -1) == protocol::ErrorCode::unknown_member_id);
  CHECK(m.validate_offset_fetch("g", std::nullopt, -1) == protocol::ErrorCode::none);
  CHECK(m.validate_offset_fetch("g", std::string("a"), 1) == protocol::ErrorCode::none);
  CHECK(f.manager->delete_group("g") == protocol::ErrorCode::non_empty_group);
  Request leave = a.request();
  leave.member_epoch = -1;
  f.send(leave);
  CHECK(m.validate_offset_commit("g", "", -1) == protocol::ErrorCode::none);
  CHECK(m.list_groups().at(0).state == "Empty");
  CHECK(f.manager->delete_group("g") == protocol::ErrorCode::none);
  CHECK(!m.is_consumer_group("g"));
}

TEST_CASE("random joins, leaves, silences and heartbeats: one owner per partition, then convergence",
          "[consumer_groups][random]") {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    Fixture f;
    f.cluster.topic("t0", 7);
    f.cluster.topic("t1", 5);
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<Member>> members;
    int next_id = 0;
    auto check_owners = [&] {
      std::map<std::pair<std::string, std::int32_t>, int> owners;
      for (const auto& m : members) {
        for (const auto& tp : m->owned) REQUIRE(++owners[tp] == 1);
      }
    };
    for (int step = 0; step < 300; ++step) {
      int action = std::uniform_int_distribution<int>(0, 9)(rng);
      if (action == 0 && members.size() < 6) {
        std::vector<std::string> topics = {"t0"};
        if (rng() % 2) topics.push_back("t1");
        members.push_back(std::make_unique<Member>(Member{f, "g", "m" + std::to_string(next_id++), topics}));
        members.back()->heartbeat();
      } else if (action == 1 && !members.empty()) {  // leaves cleanly
        auto i = rng() % members.size();
        Request leave = members[i]->request();
        leave.member_epoch = -1;
        f.send(leave);
        members.erase(members.begin() + static_cast<long>(i));
      } else if (action == 2 && !members.empty()) {  // dies: fenced later; its partitions are lost
        auto i = rng() % members.size();
        members.erase(members.begin() + static_cast<long>(i));
        f.now += std::chrono::milliseconds(46000);
        for (auto& m : members) m->heartbeat();  // (their own sessions are renewed)
        f.manager->expire_members();
      } else if (!members.empty()) {
        auto& m = *members[rng() % members.size()];
        REQUIRE(m.heartbeat().error_code == kNone);  // an honest member is never fenced
      }
      check_owners();
    }
    // Quiet rounds: everyone converges to the target and the group is stable.
    for (int round = 0; round < 10; ++round) {
      for (auto& m : members) m->heartbeat();
      check_owners();
    }
    auto d = f.manager->describe("g", false);
    CHECK(d.members.size() == members.size());
    if (!members.empty()) {
      CHECK(d.group_state == "Stable");
      std::size_t owned = 0, t0 = 0;
      for (auto& m : members) {
        owned += m->owned.size();
        for (const auto& tp : m->owned) t0 += tp.first == "t0";
      }
      CHECK(t0 == 7);  // everyone subscribes to t0
    }
  }
}

TEST_CASE("hooks: groups coordinated elsewhere, ids held by classic groups", "[consumer_groups]") {
  Fixture f;
  f.cluster.topic("orders", 2);
  f.manager->set_coordinator_check([](const std::string& id) {
    return id == "elsewhere" ? protocol::ErrorCode::not_coordinator : protocol::ErrorCode::none;
  });
  f.manager->set_classic_group_check([](const std::string& id) { return id == "classic"; });
  Member a{f, "elsewhere", "a", {"orders"}};
  CHECK(a.heartbeat().error_code == 16);  // NOT_COORDINATOR: the client looks again
  CHECK(f.manager->describe("elsewhere", false).error_code == 16);
  Member b{f, "classic", "b", {"orders"}};
  CHECK(b.heartbeat().error_code == kGroupIdNotFound);
  CHECK(*f.manager->describe("classic", false).error_message == "Group classic is not a consumer group.");
  Member c{f, "mine", "c", {"orders"}};
  CHECK(c.heartbeat().error_code == kNone);
}
