// The classic group coordinator on a manual clock and an in-memory GroupLog:
// the state machine, member ids, generation fencing, heartbeat errors,
// static membership, protocol selection, session and rebalance timeouts,
// offsets (commit, fetch, durability, reload, retention), administration.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>

#include <boost/asio/io_context.hpp>

#include "cluster/metadata_cache.hpp"
#include "cluster/metadata_records.hpp"
#include "groups/consumer/consumer_group_lookup.hpp"
#include "groups/consumer/group_errors.hpp"
#include "groups/group_coordinator.hpp"
#include "protocol/generated/consumer_protocol_subscription.hpp"
#include "protocol/wire_writer.hpp"
#include "support/memory_group_log.hpp"

using namespace brokkr;
using groups::ErrorCode;

namespace {

constexpr std::int32_t kSession = 10000;
constexpr std::int32_t kRebalance = 30000;
constexpr std::int32_t kInitialDelay = 3000;

groups::Bytes subscription(const std::vector<std::string>& topics) {
  protocol::ConsumerProtocolSubscription s;
  s.topics = topics;
  protocol::WireWriter w;
  w.write_int16(0);
  s.encode(w, 0);
  return w.take();
}

struct JoinOpts {
  std::string member_id;
  std::optional<std::string> instance;
  std::vector<groups::Protocol> protocols{{"range", subscription({"t"})}};
  std::string protocol_type = "consumer";
  std::int32_t session = kSession;
  std::int32_t rebalance = kRebalance;
  bool require_known = true;
  bool skip = false;
};

struct Fixture {
  boost::asio::io_context io;  // never run: the test drives time
  std::int64_t elapsed_ms = 0;
  config::GroupsConfig config;
  test::MemoryGroupLog log;
  std::unique_ptr<groups::GroupCoordinator> coordinator;

  Fixture() {
    config.initial_rebalance_delay_ms = kInitialDelay;
    config.offsets_retention_ms = 24 * 3600 * 1000;
    make_coordinator();
  }

  void make_coordinator() {
    coordinator = std::make_unique<groups::GroupCoordinator>(io, config, 1, nullptr, clock());
    coordinator->load(log);
  }

  groups::Clock clock() {
    auto base = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    return {[this, base] { return base + std::chrono::milliseconds(elapsed_ms); },
            [this] { return 1'700'000'000'000 + elapsed_ms; }};
  }

  groups::GroupCoordinator& c() { return *coordinator; }

  void advance(std::int64_t ms) {
    elapsed_ms += ms;
    coordinator->run_due_timers();
  }

  using JoinSlot = std::shared_ptr<std::optional<groups::JoinResult>>;
  using SyncSlot = std::shared_ptr<std::optional<groups::SyncResult>>;

  using JoinOptions = JoinOpts;

  JoinSlot join(const std::string& group, JoinOptions o) {
    groups::JoinRequest r;
    r.group_id = group;
    r.member_id = o.member_id;
    r.group_instance_id = o.instance;
    r.require_known_member_id = o.require_known;
    r.support_skip_assignment = o.skip;
    r.client_id = "client";
    r.client_host = "/127.0.0.1";
    r.session_timeout_ms = o.session;
    r.rebalance_timeout_ms = o.rebalance;
    r.protocol_type = o.protocol_type;
    r.protocols = o.protocols;
    auto slot = std::make_shared<std::optional<groups::JoinResult>>();
    c().join_group(r, [slot](groups::JoinResult result) {
      REQUIRE(!slot->has_value());  // answered exactly once
      *slot = std::move(result);
    });
    return slot;
  }

  // A dynamic member's two-step first join (JoinGroup v4+); returns its id
  // and the pending second join.
  std::pair<std::string, JoinSlot> join_new(const std::string& group, JoinOptions o = {}) {
    auto first = join(group, o);
    REQUIRE(first->has_value());
    REQUIRE((*first)->error == ErrorCode::member_id_required);
    o.member_id = (*first)->member_id;
    return {o.member_id, join(group, o)};
  }

  SyncSlot sync(const std::string& group, const std::string& member, std::int32_t generation,
                std::map<std::string, groups::Bytes> assignments = {},
                std::optional<std::string> instance = std::nullopt) {
    groups::SyncRequest r;
    r.group_id = group;
    r.member_id = member;
    r.generation = generation;
    r.group_instance_id = instance;
    r.assignments = std::move(assignments);
    auto slot = std::make_shared<std::optional<groups::SyncResult>>();
    c().sync_group(r, [slot](groups::SyncResult result) {
      REQUIRE(!slot->has_value());
      *slot = std::move(result);
    });
    return slot;
  }

  ErrorCode heartbeat(const std::string& group, const std::string& member, std::int32_t generation,
                      std::optional<std::string> instance = std::nullopt) {
    return c().heartbeat({group, generation, member, instance});
  }

  std::string state(const std::string& group) { return c().describe_group(group).state; }

  std::optional<groups::CommitResult> commit(const std::string& group, const std::string& member,
                                             std::int32_t generation,
                                             std::vector<std::pair<groups::TopicPartition, std::int64_t>> offsets,
                                             std::optional<std::string> metadata = std::string()) {
    groups::CommitRequest r;
    r.group_id = group;
    r.member_id = member;
    r.generation = generation;
    for (auto& [tp, offset] : offsets) r.offsets.push_back({tp, offset, -1, metadata, -1});
    auto slot = std::make_shared<std::optional<groups::CommitResult>>();
    c().commit_offsets(r, [slot](groups::CommitResult result) { *slot = std::move(result); });
    return *slot;
  }

  std::int64_t fetched(const std::string& group, const groups::TopicPartition& tp) {
    auto r = c().fetch_offsets(group, std::vector<groups::TopicPartition>{tp});
    REQUIRE(r.error == ErrorCode::none);
    return r.offsets.at(tp).offset;
  }

  // One member, Stable at generation 1 with assignment "A".
  std::string stable_single(const std::string& group, JoinOptions o = {}) {
    std::string id;
    JoinSlot pending;
    if (o.instance) {
      pending = join(group, o);
    } else {
      std::tie(id, pending) = join_new(group, o);
    }
    advance(kInitialDelay);
    REQUIRE(pending->has_value());
    REQUIRE((*pending)->error == ErrorCode::none);
    id = (*pending)->member_id;
    auto s = sync(group, id, (*pending)->generation, {{id, {'A'}}}, o.instance);
    REQUIRE(s->has_value());
    REQUIRE((*s)->error == ErrorCode::none);
    return id;
  }
};

}  // namespace

TEST_CASE("a first JoinGroup (v4+) gets MEMBER_ID_REQUIRED and an id, then the group forms after the initial delay",
          "[groups]") {
  Fixture f;
  auto first = f.join("g", {});
  REQUIRE(first->has_value());
  CHECK((*first)->error == ErrorCode::member_id_required);
  CHECK((*first)->member_id.rfind("client-", 0) == 0);
  CHECK(f.state("g") == "Empty");

  Fixture::JoinOptions o;
  o.member_id = (*first)->member_id;
  auto second = f.join("g", o);
  CHECK_FALSE(second->has_value());  // waits out group.initial.rebalance.delay.ms
  CHECK(f.state("g") == "PreparingRebalance");
  f.advance(kInitialDelay - 1);
  CHECK_FALSE(second->has_value());
  f.advance(1);
  REQUIRE(second->has_value());
  const auto& r = **second;
  CHECK(r.error == ErrorCode::none);
  CHECK(r.generation == 1);
  CHECK(r.leader == o.member_id);
  CHECK(r.protocol_name == "range");
  CHECK(r.protocol_type == "consumer");
  REQUIRE(r.members.size() == 1);
  CHECK(r.members[0].metadata == subscription({"t"}));
  CHECK(f.state("g") == "CompletingRebalance");

  auto s = f.sync("g", o.member_id, 1, {{o.member_id, {1, 2, 3}}});
  REQUIRE(s->has_value());
  CHECK((*s)->error == ErrorCode::none);
  CHECK((*s)->assignment == groups::Bytes{1, 2, 3});
  CHECK(f.state("g") == "Stable");
  CHECK(f.log.group_writes == 1);  // stored after the rebalance
  auto d = f.c().describe_group("g");
  CHECK(d.protocol == "range");
  REQUIRE(d.members.size() == 1);
  CHECK(d.members[0].assignment == groups::Bytes{1, 2, 3});
}

TEST_CASE("JoinGroup before v4 is accepted without MEMBER_ID_REQUIRED; more members extend the initial delay",
          "[groups]") {
  Fixture f;
  Fixture::JoinOptions o;
  o.require_known = false;
  auto a = f.join("g", o);
  f.advance(2000);
  auto b = f.join("g", o);  // arrives during the delay: the delay is extended
  f.advance(1000);
  CHECK_FALSE(a->has_value());
  f.advance(kInitialDelay);
  REQUIRE(a->has_value());
  REQUIRE(b->has_value());
  CHECK((*a)->generation == 1);
  CHECK((*b)->generation == 1);
  CHECK((*a)->leader == (*b)->leader);
  CHECK(((*a)->members.size() + (*b)->members.size()) == 2);  // only the leader gets them
}

TEST_CASE("a second member rebalances a Stable group: heartbeats say REBALANCE_IN_PROGRESS until it rejoins",
          "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  auto [b, b_join] = f.join_new("g");
  CHECK(f.state("g") == "PreparingRebalance");
  CHECK(f.heartbeat("g", a, 1) == ErrorCode::rebalance_in_progress);
  CHECK_FALSE(b_join->has_value());

  Fixture::JoinOptions o;
  o.member_id = a;
  auto a_join = f.join("g", o);  // every member is in: no need to wait
  REQUIRE(a_join->has_value());
  REQUIRE(b_join->has_value());
  CHECK((*a_join)->generation == 2);
  CHECK((*b_join)->generation == 2);
  CHECK((*a_join)->leader == a);
  CHECK((*a_join)->members.size() == 2);
  CHECK((*b_join)->members.empty());

  auto b_sync = f.sync("g", b, 2);  // the follower waits for the leader's assignment
  CHECK_FALSE(b_sync->has_value());
  CHECK(f.heartbeat("g", b, 2) == ErrorCode::none);  // CompletingRebalance: fine
  auto a_sync = f.sync("g", a, 2, {{a, {'a'}}, {b, {'b'}}});
  REQUIRE(b_sync->has_value());
  CHECK((*b_sync)->assignment == groups::Bytes{'b'});
  CHECK((*a_sync)->assignment == groups::Bytes{'a'});
  CHECK(f.state("g") == "Stable");
  CHECK(f.heartbeat("g", a, 2) == ErrorCode::none);
}

TEST_CASE("generation fencing and unknown members", "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  CHECK(f.heartbeat("g", a, 0) == ErrorCode::illegal_generation);
  CHECK(f.heartbeat("g", a, 2) == ErrorCode::illegal_generation);
  CHECK(f.heartbeat("g", "nobody", 1) == ErrorCode::unknown_member_id);
  CHECK(f.heartbeat("unknown-group", a, 1) == ErrorCode::unknown_member_id);
  CHECK(f.heartbeat("", a, 1) == ErrorCode::invalid_group_id);
  auto s = f.sync("g", a, 7);
  REQUIRE(s->has_value());
  CHECK((*s)->error == ErrorCode::illegal_generation);
  s = f.sync("g", "nobody", 1);
  CHECK((*s)->error == ErrorCode::unknown_member_id);
  auto commit = f.commit("g", a, 0, {{{"t", 0}, 5}});
  REQUIRE(commit);
  CHECK(commit->at({"t", 0}) == ErrorCode::illegal_generation);
  commit = f.commit("g", "nobody", 1, {{{"t", 0}, 5}});
  CHECK(commit->at({"t", 0}) == ErrorCode::unknown_member_id);
  // A rejoin with an unknown member id, and with one for a group that does not exist.
  Fixture::JoinOptions o;
  o.member_id = "nobody";
  auto j = f.join("g", o);
  CHECK((*j)->error == ErrorCode::unknown_member_id);
  j = f.join("other", o);
  CHECK((*j)->error == ErrorCode::unknown_member_id);
  CHECK(f.state("g") == "Stable");  // none of that disturbed the group
  CHECK(f.heartbeat("g", a, 1) == ErrorCode::none);
}

TEST_CASE("bad JoinGroup input: session timeout bounds, protocols, group id, group size", "[groups]") {
  Fixture f;
  Fixture::JoinOptions o;
  o.session = f.config.min_session_timeout_ms - 1;
  CHECK((*f.join("g", o))->error == ErrorCode::invalid_session_timeout);
  o.session = f.config.max_session_timeout_ms + 1;
  CHECK((*f.join("g", o))->error == ErrorCode::invalid_session_timeout);
  o = {};
  o.protocols.clear();
  CHECK((*f.join("g", o))->error == ErrorCode::inconsistent_group_protocol);
  o = {};
  o.protocol_type = "";
  CHECK((*f.join("g", o))->error == ErrorCode::inconsistent_group_protocol);
  CHECK((*f.join("", {}))->error == ErrorCode::invalid_group_id);

  std::string a = f.stable_single("g");
  // Another protocol type, or no protocol in common, is refused.
  o = {};
  o.protocol_type = "connect";
  CHECK((*f.join("g", o))->error == ErrorCode::inconsistent_group_protocol);
  o = {};
  o.protocols = {{"sticky", {}}};
  CHECK((*f.join("g", o))->error == ErrorCode::inconsistent_group_protocol);
  // group.max.size = 1 (a restart with the new setting): a second member does not fit.
  f.config.max_size = 1;
  f.make_coordinator();
  o = {};
  o.require_known = false;
  CHECK((*f.join("g", o))->error == ErrorCode::group_max_size_reached);
  CHECK(f.state("g") == "Stable");
  CHECK(f.heartbeat("g", a, 1) == ErrorCode::none);
}

TEST_CASE("protocol selection: the protocol all members support with the most votes", "[groups]") {
  Fixture f;
  Fixture::JoinOptions o;
  o.require_known = false;
  o.protocols = {{"range", {1}}, {"roundrobin", {2}}, {"sticky", {3}}};
  auto a = f.join("g", o);
  o.protocols = {{"roundrobin", {4}}, {"range", {5}}};
  auto b = f.join("g", o);
  o.protocols = {{"sticky", {6}}, {"roundrobin", {7}}, {"range", {8}}};
  auto c = f.join("g", o);
  f.advance(kInitialDelay);
  f.advance(kInitialDelay);  // the first delay was extended for b and c
  // Common: range and roundrobin (not sticky: b lacks it). Votes: a range,
  // b roundrobin, c roundrobin.
  for (const auto& slot : {a, b, c}) {
    REQUIRE(slot->has_value());
    CHECK((*slot)->protocol_name == "roundrobin");
  }
  for (const auto& slot : {a, b, c}) {
    if (!(*slot)->members.empty()) {
      for (const auto& m : (*slot)->members) {
        // The leader sees each member's metadata for the chosen protocol.
        CHECK((m.metadata == groups::Bytes{2} || m.metadata == groups::Bytes{4} || m.metadata == groups::Bytes{7}));
      }
    }
  }
}

TEST_CASE("a member that stops heartbeating is removed after its session timeout", "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  auto [b, b_join] = f.join_new("g");
  Fixture::JoinOptions o;
  o.member_id = a;
  auto a_join = f.join("g", o);
  f.sync("g", a, 2, {{a, {'a'}}, {b, {'b'}}});
  f.sync("g", b, 2);
  REQUIRE(f.state("g") == "Stable");

  for (int i = 0; i < 3; ++i) {
    f.advance(kSession / 4);
    CHECK(f.heartbeat("g", a, 2) == ErrorCode::none);  // only a keeps heartbeating
  }
  CHECK(f.state("g") == "Stable");
  f.advance(kSession / 4);  // b's session ends
  CHECK(f.state("g") == "PreparingRebalance");
  CHECK(f.heartbeat("g", b, 2) == ErrorCode::unknown_member_id);
  CHECK(f.heartbeat("g", a, 2) == ErrorCode::rebalance_in_progress);
  a_join = f.join("g", o);
  REQUIRE(a_join->has_value());
  CHECK((*a_join)->generation == 3);
  CHECK((*a_join)->members.size() == 1);
}

TEST_CASE("members that do not rejoin within the rebalance timeout are dropped", "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  auto [b, b_join] = f.join_new("g");
  Fixture::JoinOptions o;
  o.member_id = a;
  f.join("g", o);
  f.sync("g", a, 2, {{a, {'a'}}, {b, {'b'}}});
  f.sync("g", b, 2);

  // b rejoins with new metadata; a keeps heartbeating but never rejoins.
  Fixture::JoinOptions ob;
  ob.member_id = b;
  ob.protocols = {{"range", subscription({"t", "u"})}};
  auto b_rejoin = f.join("g", ob);
  CHECK(f.state("g") == "PreparingRebalance");
  for (std::int64_t t = 0; t < kRebalance; t += 3000) {
    f.advance(3000);
    if (f.state("g") == "PreparingRebalance") CHECK(f.heartbeat("g", a, 2) == ErrorCode::rebalance_in_progress);
  }
  REQUIRE(b_rejoin->has_value());
  CHECK((*b_rejoin)->generation == 3);
  CHECK((*b_rejoin)->leader == b);  // a led and was dropped
  CHECK((*b_rejoin)->members.size() == 1);
  CHECK(f.heartbeat("g", a, 3) == ErrorCode::unknown_member_id);
}

TEST_CASE("members that get their JoinGroup answer but never SyncGroup are removed", "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  auto [b, b_join] = f.join_new("g");
  Fixture::JoinOptions o;
  o.member_id = a;
  f.join("g", o);
  auto a_sync = f.sync("g", a, 2, {{a, {'a'}}, {b, {'b'}}});
  CHECK(f.state("g") == "Stable");
  // b heartbeats but never syncs; it is out once the rebalance timeout passes.
  for (std::int64_t t = 5000; t < kRebalance; t += 5000) {
    f.advance(5000);
    CHECK(f.heartbeat("g", a, 2) == ErrorCode::none);
    CHECK(f.heartbeat("g", b, 2) == ErrorCode::none);
  }
  f.advance(5000);
  CHECK(f.state("g") == "PreparingRebalance");
  CHECK(f.heartbeat("g", b, 2) == ErrorCode::unknown_member_id);
  CHECK(f.heartbeat("g", a, 2) == ErrorCode::rebalance_in_progress);
}

TEST_CASE("static membership: a restarted instance replaces its old member without a rebalance", "[groups]") {
  Fixture f;
  Fixture::JoinOptions o;
  o.instance = "i1";
  std::string first_id = f.stable_single("g", o);
  CHECK(first_id.rfind("i1-", 0) == 0);
  int writes = f.log.group_writes;

  auto again = f.join("g", o);  // no member id: a restart
  REQUIRE(again->has_value());
  const auto& r = **again;
  CHECK(r.error == ErrorCode::none);
  CHECK(r.generation == 1);          // unchanged
  CHECK(r.member_id != first_id);    // a new id
  CHECK(r.leader == first_id);       // old clients must not reassign: the old leader id
  CHECK(r.members.empty());
  CHECK(f.state("g") == "Stable");
  CHECK(f.log.group_writes == writes + 1);  // the new member id is stored

  // The old id is fenced; the new one carries on with the same assignment.
  CHECK(f.heartbeat("g", first_id, 1, std::string("i1")) == ErrorCode::fenced_instance_id);
  CHECK(f.heartbeat("g", r.member_id, 1, std::string("i1")) == ErrorCode::none);
  auto s = f.sync("g", r.member_id, 1, {}, std::string("i1"));
  REQUIRE(s->has_value());
  CHECK((*s)->assignment == groups::Bytes{'A'});
  auto commit = f.commit("g", first_id, 1, {{{"t", 0}, 1}});
  CHECK(commit->at({"t", 0}) == ErrorCode::unknown_member_id);
}

TEST_CASE("static membership v9: the rejoining leader is told to skip the assignment", "[groups]") {
  Fixture f;
  Fixture::JoinOptions o;
  o.instance = "i1";
  std::string first_id = f.stable_single("g", o);
  o.skip = true;
  auto again = f.join("g", o);
  REQUIRE(again->has_value());
  CHECK((*again)->skip_assignment);
  CHECK((*again)->leader == (*again)->member_id);
  CHECK((*again)->members.size() == 1);
  CHECK((*again)->generation == 1);
}

TEST_CASE("static membership: a changed protocol rebalances; a duplicate instance is fenced", "[groups]") {
  Fixture f;
  Fixture::JoinOptions os;
  os.instance = "i1";
  std::string s = f.stable_single("g", os);
  Fixture::JoinOptions ob;
  ob.protocols = {{"roundrobin", {}}, {"range", subscription({"t"})}};
  auto [b, b_join] = f.join_new("g", ob);
  Fixture::JoinOptions rejoin_s = os;
  rejoin_s.member_id = s;
  f.join("g", rejoin_s);
  REQUIRE(b_join->has_value());
  CHECK((*b_join)->protocol_name == "range");  // the only protocol both support
  f.sync("g", s, 2, {{s, {'s'}}, {b, {'b'}}}, std::string("i1"));
  f.sync("g", b, 2);
  REQUIRE(f.state("g") == "Stable");

  os.protocols = {{"sticky", {}}};  // nothing in common with b
  CHECK((*f.join("g", os))->error == ErrorCode::inconsistent_group_protocol);
  os.protocols = {{"roundrobin", {}}, {"range", subscription({"t"})}};
  auto restart = f.join("g", os);  // now both vote roundrobin: the group must rebalance
  CHECK_FALSE(restart->has_value());
  CHECK(f.state("g") == "PreparingRebalance");
  // A second process with the same instance id: the first one's JoinGroup is fenced.
  auto duplicate = f.join("g", os);
  REQUIRE(restart->has_value());
  CHECK((*restart)->error == ErrorCode::fenced_instance_id);
  CHECK_FALSE(duplicate->has_value());
  ob.member_id = b;
  f.join("g", ob);
  REQUIRE(duplicate->has_value());
  CHECK((*duplicate)->error == ErrorCode::none);
  CHECK((*duplicate)->generation == 3);
  CHECK((*duplicate)->protocol_name == "roundrobin");
}

TEST_CASE("a static member that is down keeps its place through a rebalance until it misses the sync",
          "[groups]") {
  Fixture f;
  Fixture::JoinOptions os;
  os.instance = "s";
  os.session = 60000;  // longer than the rebalance timeout
  std::string s = f.stable_single("g", os);
  auto [d, d_join] = f.join_new("g");  // a dynamic member joins: rebalance
  f.advance(kRebalance);               // s never rejoins (its process is down)
  REQUIRE(d_join->has_value());
  CHECK((*d_join)->generation == 2);
  CHECK((*d_join)->leader == d);          // the leader must be a member that rejoined
  CHECK((*d_join)->members.size() == 2);  // s is still a member
  f.sync("g", d, 2, {{d, {'d'}}, {s, {'s'}}});
  CHECK(f.state("g") == "Stable");
  for (std::int64_t t = 0; t < kRebalance; t += 5000) {
    f.advance(5000);
    f.heartbeat("g", d, 2);
  }
  CHECK(f.heartbeat("g", s, 2, std::string("s")) == ErrorCode::unknown_member_id);
  CHECK(f.state("g") == "PreparingRebalance");
}

TEST_CASE("LeaveGroup: by member id, by instance id; the last member leaving empties the group", "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  auto r = f.c().leave_group("g", {{"nobody", std::nullopt, ""}, {"", std::string("no-instance"), ""}});
  CHECK(r.error == ErrorCode::none);
  CHECK(r.members == std::vector<ErrorCode>{ErrorCode::unknown_member_id, ErrorCode::unknown_member_id});
  CHECK(f.state("g") == "Stable");
  r = f.c().leave_group("g", {{a, std::nullopt, "bye"}});
  CHECK(r.members == std::vector<ErrorCode>{ErrorCode::none});
  CHECK(f.state("g") == "Empty");
  CHECK(f.c().describe_group("g").members.empty());
  CHECK(f.c().leave_group("", {}).error == ErrorCode::invalid_group_id);

  Fixture::JoinOptions o;
  o.instance = "i";
  std::string s = f.stable_single("g", o);
  CHECK(f.c().leave_group("g", {{"", std::string("i"), ""}}).members == std::vector<ErrorCode>{ErrorCode::none});
  CHECK(f.state("g") == "Empty");
}

TEST_CASE("offsets: commit and fetch, simple consumers, metadata limit", "[groups]") {
  Fixture f;
  // assign() consumers commit with generation -1 to a group that only stores offsets.
  auto r = f.commit("simple", "", -1, {{{"t", 0}, 42}, {{"t", 1}, 7}});
  REQUIRE(r);
  CHECK(r->at({"t", 0}) == ErrorCode::none);
  CHECK(f.fetched("simple", {"t", 0}) == 42);
  CHECK(f.fetched("simple", {"t", 1}) == 7);
  CHECK(f.fetched("simple", {"t", 2}) == -1);
  CHECK(f.fetched("nothing", {"t", 0}) == -1);
  auto all = f.c().fetch_offsets("simple", std::nullopt);
  CHECK(all.offsets.size() == 2);
  CHECK(f.state("simple") == "Empty");
  // A commit with a generation for a group that does not exist is stale.
  r = f.commit("no-group", "m", 3, {{{"t", 0}, 1}});
  CHECK(r->at({"t", 0}) == ErrorCode::illegal_generation);

  r = f.commit("simple", "", -1, {{{"t", 0}, 50}}, std::string(f.config.offset_metadata_max_bytes + 1, 'x'));
  CHECK(r->at({"t", 0}) == ErrorCode::offset_metadata_too_large);
  CHECK(f.fetched("simple", {"t", 0}) == 42);
  r = f.commit("simple", "", -1, {{{"t", 0}, 51}}, std::string(f.config.offset_metadata_max_bytes, 'x'));
  CHECK(r->at({"t", 0}) == ErrorCode::none);
  auto meta = f.c().fetch_offsets("simple", std::vector<groups::TopicPartition>{{"t", 0}});
  CHECK(meta.offsets.at({"t", 0}).metadata.size() == static_cast<std::size_t>(f.config.offset_metadata_max_bytes));

  // An active group takes commits from its members only.
  std::string a = f.stable_single("g");
  r = f.commit("g", "", -1, {{{"t", 0}, 1}});
  CHECK(r->at({"t", 0}) == ErrorCode::unknown_member_id);
  r = f.commit("g", a, 1, {{{"t", 0}, 9}});
  CHECK(r->at({"t", 0}) == ErrorCode::none);
  CHECK(f.fetched("g", {"t", 0}) == 9);
  // While the group completes a rebalance, commits wait for the new generation.
  auto [b, b_join] = f.join_new("g");
  Fixture::JoinOptions o;
  o.member_id = a;
  f.join("g", o);
  REQUIRE(f.state("g") == "CompletingRebalance");
  r = f.commit("g", a, 2, {{{"t", 0}, 10}});
  CHECK(r->at({"t", 0}) == ErrorCode::rebalance_in_progress);
}

TEST_CASE("offsets: the answer waits until the log has them; a failed write is reported", "[groups]") {
  Fixture f;
  f.log.hold(true);
  groups::CommitRequest req;
  req.group_id = "g";
  req.offsets.push_back({{"t", 0}, 5, -1, std::string(), -1});
  std::optional<groups::CommitResult> result;
  f.c().commit_offsets(req, [&](groups::CommitResult r) { result = r; });
  CHECK_FALSE(result);
  CHECK(f.fetched("g", {"t", 0}) == -1);  // not durable yet
  f.log.release();
  REQUIRE(result);
  CHECK(result->at({"t", 0}) == ErrorCode::none);
  CHECK(f.fetched("g", {"t", 0}) == 5);

  f.log.hold(false);
  f.log.fail_next(ErrorCode::not_leader_or_follower);
  auto r = f.commit("g", "", -1, {{{"t", 0}, 6}});
  CHECK(r->at({"t", 0}) == ErrorCode::not_coordinator);
  CHECK(f.fetched("g", {"t", 0}) == 5);
  f.log.fail_next(ErrorCode::message_too_large);
  r = f.commit("g", "", -1, {{{"t", 0}, 6}});
  CHECK(r->at({"t", 0}) == ErrorCode::invalid_commit_offset_size);
}

TEST_CASE("a failed or oversized group write fails the SyncGroup and rebalances, the group intact", "[groups]") {
  Fixture f;
  auto [a, a_join] = f.join_new("g");
  f.advance(kInitialDelay);
  f.log.fail_next(ErrorCode::request_timed_out);
  auto s = f.sync("g", a, 1, {{a, {'a'}}});
  REQUIRE(s->has_value());
  CHECK((*s)->error == ErrorCode::rebalance_in_progress);
  CHECK(f.state("g") == "PreparingRebalance");

  Fixture::JoinOptions o;
  o.member_id = a;
  auto j = f.join("g", o);
  REQUIRE(j->has_value());
  CHECK((*j)->generation == 2);
  s = f.sync("g", a, 2, {{a, groups::Bytes(groups::kMaxGroupRecordBytes + 1, 'x')}});
  REQUIRE(s->has_value());
  CHECK((*s)->error == ErrorCode::unknown_server_error);  // Kafka's answer to a too-large record
  CHECK(f.state("g") == "PreparingRebalance");
  j = f.join("g", o);
  s = f.sync("g", a, 3, {{a, {'a'}}});
  CHECK((*s)->error == ErrorCode::none);
  CHECK(f.state("g") == "Stable");
}

TEST_CASE("groups and offsets come back from the log: members keep their generation until their session ends",
          "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  REQUIRE(f.commit("g", a, 1, {{{"t", 0}, 11}})->at({"t", 0}) == ErrorCode::none);
  REQUIRE(f.commit("simple", "", -1, {{{"t", 1}, 22}})->at({"t", 1}) == ErrorCode::none);
  REQUIRE(f.commit("deleted", "", -1, {{{"t", 1}, 33}})->at({"t", 1}) == ErrorCode::none);
  REQUIRE(f.c().delete_groups({"deleted"}).at("deleted") == ErrorCode::none);

  f.make_coordinator();  // a restart: everything from the log
  CHECK(f.state("g") == "Stable");
  CHECK(f.fetched("g", {"t", 0}) == 11);
  CHECK(f.fetched("simple", {"t", 1}) == 22);
  CHECK(f.fetched("deleted", {"t", 1}) == -1);
  CHECK(f.state("deleted") == "Dead");
  CHECK(f.heartbeat("g", a, 1) == ErrorCode::none);
  auto s = f.sync("g", a, 1);
  CHECK((*s)->assignment == groups::Bytes{'A'});

  f.make_coordinator();
  f.advance(kSession);  // nobody heartbeats after this restart
  CHECK(f.state("g") == "Empty");
  CHECK(f.heartbeat("g", a, 1) == ErrorCode::unknown_member_id);
  CHECK(f.fetched("g", {"t", 0}) == 11);  // offsets outlive the members
}

TEST_CASE("offset retention: from when the group became empty; unsubscribed topics of stable groups", "[groups]") {
  Fixture f;
  const std::int64_t retention = f.config.offsets_retention_ms;
  std::string a = f.stable_single("g");
  f.commit("g", a, 1, {{{"t", 0}, 1}, {{"old", 0}, 2}});
  REQUIRE(f.commit("simple", "", -1, {{{"t", 0}, 3}})->at({"t", 0}) == ErrorCode::none);
  for (std::int64_t t = 0; t < retention; t += kSession / 2) {
    f.elapsed_ms += kSession / 2;
    f.heartbeat("g", a, 1);
  }
  f.c().expire_offsets();
  // Stable: the subscribed topic ("t") stays, "old" is gone; the simple group's offset expired and the group too.
  CHECK(f.fetched("g", {"t", 0}) == 1);
  CHECK(f.fetched("g", {"old", 0}) == -1);
  CHECK(f.fetched("simple", {"t", 0}) == -1);
  CHECK(f.state("simple") == "Dead");

  f.c().leave_group("g", {{a, std::nullopt, ""}});
  REQUIRE(f.state("g") == "Empty");
  f.elapsed_ms += retention - 1;
  f.c().expire_offsets();
  CHECK(f.fetched("g", {"t", 0}) == 1);  // empty for less than the retention
  f.elapsed_ms += 1;
  f.c().expire_offsets();
  CHECK(f.fetched("g", {"t", 0}) == -1);
  CHECK(f.state("g") == "Dead");
  // Tombstones went to the log: a restart does not bring them back.
  f.make_coordinator();
  CHECK(f.fetched("g", {"t", 0}) == -1);
  CHECK(f.state("g") == "Dead");
}

TEST_CASE("DeleteGroups, OffsetDelete, ListGroups and DescribeGroups", "[groups]") {
  Fixture f;
  std::string a = f.stable_single("g");
  f.commit("g", a, 1, {{{"t", 0}, 1}, {{"other", 0}, 2}});
  f.commit("simple", "", -1, {{{"t", 0}, 3}});

  auto deleted = f.c().delete_groups({"g", "nope", "simple"});
  CHECK(deleted["g"] == ErrorCode::non_empty_group);
  CHECK(deleted["nope"] == ErrorCode::group_id_not_found);
  CHECK(deleted["simple"] == ErrorCode::none);
  CHECK(f.fetched("simple", {"t", 0}) == -1);

  auto od = f.c().delete_offsets("g", {{"t", 0}, {"other", 0}});
  CHECK(od.error == ErrorCode::none);
  CHECK(od.partitions.at({"t", 0}) == ErrorCode::group_subscribed_to_topic);
  CHECK(od.partitions.at({"other", 0}) == ErrorCode::none);
  CHECK(f.fetched("g", {"t", 0}) == 1);
  CHECK(f.fetched("g", {"other", 0}) == -1);
  CHECK(f.c().delete_offsets("nope", {{"t", 0}}).error == ErrorCode::group_id_not_found);

  auto [error, listed] = f.c().list_groups({});
  CHECK(error == ErrorCode::none);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].group_id == "g");
  CHECK(listed[0].protocol_type == "consumer");
  CHECK(listed[0].state == "Stable");
  CHECK(f.c().list_groups({"stable"}).second.size() == 1);
  CHECK(f.c().list_groups({"Empty"}).second.empty());
  CHECK(f.c().list_groups({"no-such-state"}).second.empty());

  auto d = f.c().describe_group("nope");
  CHECK(d.error == ErrorCode::none);
  CHECK(d.state == "Dead");
  d = f.c().describe_group("g");
  CHECK(d.state == "Stable");
  CHECK(d.protocol_type == "consumer");
  REQUIRE(d.members.size() == 1);
  CHECK(d.members[0].client_id == "client");
  CHECK(d.members[0].client_host == "/127.0.0.1");
  CHECK(d.members[0].metadata == subscription({"t"}));
}

TEST_CASE("a JoinGroup while the coordinator loads is told to retry", "[groups]") {
  Fixture f;
  f.c().mark_loading();
  CHECK((*f.join("g", {}))->error == ErrorCode::coordinator_load_in_progress);
  CHECK(f.c().fetch_offsets("g", std::nullopt).error == ErrorCode::coordinator_load_in_progress);
  f.c().load(f.log);
  CHECK((*f.join("g", {}))->error == ErrorCode::member_id_required);
}

TEST_CASE("a group's coordinator is the leader of its __consumer_offsets partition", "[groups]") {
  Fixture f;
  cluster::MetadataCache cache;
  cluster::TopicMetadata offsets;
  offsets.name = groups::kOffsetsTopic;
  offsets.topic_id = protocol::Uuid::random();
  for (int p = 0; p < f.log.partition_count(); ++p) offsets.partitions.push_back({p, 1, 0, {1}, {1}});
  std::string mine = "local-group";
  std::string theirs;
  for (int i = 0; theirs.empty(); ++i) {
    std::string g = "other-" + std::to_string(i);
    if (f.log.partition_for(g) != f.log.partition_for(mine)) theirs = g;
  }
  offsets.partitions[static_cast<std::size_t>(f.log.partition_for(theirs))].leader = 2;
  cache.apply_store_changes({{cluster::topic_key(offsets.name), sdk::VersionedValue{cluster::encode_topic(offsets), 0}}});

  groups::GroupCoordinator c(f.io, f.config, 1, &cache, f.clock());
  // Before a log is loaded every group is local.
  CHECK(c.locate(theirs).node_id == 1);
  c.load(f.log);
  CHECK(c.locate(mine).node_id == 1);
  CHECK(c.locate(theirs).node_id == 2);
  CHECK(c.heartbeat({theirs, 1, "m", std::nullopt}) == ErrorCode::not_coordinator);
  CHECK(c.fetch_offsets(theirs, std::nullopt).error == ErrorCode::not_coordinator);
  CHECK(c.heartbeat({mine, 1, "m", std::nullopt}) == ErrorCode::unknown_member_id);
  offsets.partitions[static_cast<std::size_t>(f.log.partition_for(theirs))].leader = -1;
  cache.apply_store_changes({{cluster::topic_key(offsets.name), sdk::VersionedValue{cluster::encode_topic(offsets), 1}}});
  CHECK(c.locate(theirs).error == ErrorCode::coordinator_not_available);
}

// ---- KIP-848 consumer-protocol groups seen by the classic coordinator ----

namespace {

// A ConsumerGroupLookup following consumer_group_lookup.hpp's rules: groups
// with members (id -> current epoch).
struct FakeConsumerGroups : groups::consumer::ConsumerGroupLookup {
  std::map<std::string, std::map<std::string, std::int32_t>> groups;
  std::map<std::string, std::set<std::string>> topics;                    // group -> subscribed topics
  std::map<std::string, std::map<std::string, std::string>> instances;    // group -> instance id -> member id

  std::optional<std::set<std::string>> subscribed_topics(const std::string& id) const override {
    if (!groups.count(id)) return std::nullopt;
    auto t = topics.find(id);
    return t == topics.end() ? std::set<std::string>{} : t->second;
  }
  ErrorCode validate_classic_member(const std::string& id, const std::string& member,
                                    const std::optional<std::string>& instance) const override {
    if (!groups.count(id)) return ErrorCode::group_id_not_found;
    if (instance) {
      auto g = instances.find(id);
      if (g != instances.end()) {
        auto holder = g->second.find(*instance);
        if (holder != g->second.end() && !member.empty() && holder->second != member) {
          return ErrorCode::fenced_instance_id;
        }
      }
    }
    return ErrorCode::unknown_member_id;
  }

  bool is_consumer_group(const std::string& id) const override { return groups.count(id) > 0; }
  ErrorCode check(const std::string& id, const std::string& member, std::int32_t epoch) const {
    auto g = groups.find(id);
    if (g == groups.end()) return ErrorCode::group_id_not_found;
    auto m = g->second.find(member);
    if (m == g->second.end()) return ErrorCode::unknown_member_id;
    return m->second == epoch ? ErrorCode::none : groups::consumer::kStaleMemberEpoch;
  }
  ErrorCode validate_offset_commit(const std::string& id, const std::string& member,
                                   std::int32_t epoch) const override {
    auto g = groups.find(id);
    if (g != groups.end() && epoch < 0 && g->second.empty()) return ErrorCode::none;
    return check(id, member, epoch);
  }
  ErrorCode validate_offset_fetch(const std::string& id, const std::optional<std::string>& member,
                                  std::int32_t epoch) const override {
    if (groups.count(id) && !member && epoch < 0) return ErrorCode::none;
    return check(id, member.value_or(""), epoch);
  }
  std::vector<GroupListing> list_groups() const override {
    std::vector<GroupListing> out;
    for (const auto& [id, members] : groups) out.push_back({id, members.empty() ? "Empty" : "Stable"});
    return out;
  }
  ErrorCode delete_group(const std::string& id) override {
    auto g = groups.find(id);
    if (g == groups.end()) return ErrorCode::group_id_not_found;
    if (!g->second.empty()) return ErrorCode::non_empty_group;
    groups.erase(g);
    return ErrorCode::none;
  }
};

struct Kip848Fixture : Fixture {
  FakeConsumerGroups consumer;
  const groups::TopicPartition tp{"t", 0};

  Kip848Fixture() {
    consumer.groups["cg"] = {{"m1", 5}};
    c().set_consumer_groups(&consumer);
  }

  ErrorCode commit_as(const std::string& member, std::int32_t epoch, std::int64_t offset,
                      std::int16_t version = 9) {
    groups::CommitRequest r;
    r.group_id = "cg";
    r.member_id = member;
    r.generation = epoch;
    r.api_version = version;
    r.offsets.push_back({tp, offset, -1, std::string(), -1});
    auto slot = std::make_shared<std::optional<groups::CommitResult>>();
    c().commit_offsets(r, [slot](groups::CommitResult result) { *slot = std::move(result); });
    REQUIRE(slot->has_value());
    return (**slot).at(tp);
  }
};

}  // namespace

TEST_CASE("OffsetCommit to a consumer-protocol group checks the member epoch", "[groups][kip848]") {
  Kip848Fixture f;
  CHECK(f.commit_as("m1", 5, 42) == ErrorCode::none);
  CHECK(f.fetched("cg", f.tp) == 42);
  CHECK(f.commit_as("m1", 4, 43) == groups::consumer::kStaleMemberEpoch);
  CHECK(f.commit_as("nobody", 5, 43) == ErrorCode::unknown_member_id);
  // An active group takes no commit from outside it.
  CHECK(f.commit_as("", -1, 43) == ErrorCode::unknown_member_id);
  // A member must use v9+; an unknown one is still told so first.
  CHECK(f.commit_as("m1", 5, 43, 8) == ErrorCode::unsupported_version);
  CHECK(f.commit_as("m1", 4, 43, 8) == ErrorCode::unsupported_version);
  CHECK(f.commit_as("nobody", 5, 43, 8) == ErrorCode::unknown_member_id);
  // Not from OffsetCommit (-1, e.g. transactional): no version rule.
  CHECK(f.commit_as("m1", 5, 44, -1) == ErrorCode::none);
  CHECK(f.fetched("cg", f.tp) == 44);
  // Once empty: an admin client or a standalone consumer commits with epoch -1, any version.
  f.consumer.groups["cg"].clear();
  CHECK(f.commit_as("", -1, 45, 2) == ErrorCode::none);
  CHECK(f.fetched("cg", f.tp) == 45);
  // The offsets are durable like a classic group's: they survive a reload.
  f.make_coordinator();
  CHECK(f.fetched("cg", f.tp) == 45);
}

TEST_CASE("OffsetFetch v9 of a consumer-protocol group checks the member epoch", "[groups][kip848]") {
  Kip848Fixture f;
  REQUIRE(f.commit_as("m1", 5, 7) == ErrorCode::none);
  std::vector<groups::TopicPartition> wanted{f.tp};
  auto ok = f.c().fetch_offsets("cg", wanted, groups::FetchMember{"m1", 5});
  CHECK(ok.error == ErrorCode::none);
  CHECK(ok.offsets.at(f.tp).offset == 7);
  CHECK(f.c().fetch_offsets("cg", wanted, groups::FetchMember{"m1", 4}).error ==
        groups::consumer::kStaleMemberEpoch);
  CHECK(f.c().fetch_offsets("cg", wanted, groups::FetchMember{"x", 5}).error == ErrorCode::unknown_member_id);
  // An admin (no member, epoch -1), and versions before 9, are not checked.
  CHECK(f.c().fetch_offsets("cg", wanted, groups::FetchMember{std::nullopt, -1}).offsets.at(f.tp).offset == 7);
  CHECK(f.c().fetch_offsets("cg", wanted).offsets.at(f.tp).offset == 7);
  // A classic group ignores the member fields.
  REQUIRE(f.commit("classic", "", -1, {{f.tp, 3}}).has_value());
  CHECK(f.c().fetch_offsets("classic", wanted, groups::FetchMember{"m1", 99}).offsets.at(f.tp).offset == 3);
}

TEST_CASE("JoinGroup of a consumer-protocol group's id", "[groups][kip848]") {
  Kip848Fixture f;
  // With members: the classic protocol may not join it.
  auto refused = f.join("cg", {});
  REQUIRE(refused->has_value());
  CHECK((*refused)->error == ErrorCode::inconsistent_group_protocol);
  CHECK(f.consumer.is_consumer_group("cg"));
  // Empty: the id goes over to the classic protocol, its offsets kept.
  REQUIRE(f.commit_as("m1", 5, 9) == ErrorCode::none);
  f.consumer.groups["cg"].clear();
  auto [id, pending] = f.join_new("cg");
  CHECK_FALSE(f.consumer.is_consumer_group("cg"));
  f.advance(kInitialDelay);
  REQUIRE(pending->has_value());
  CHECK((*pending)->error == ErrorCode::none);
  CHECK(f.fetched("cg", f.tp) == 9);
}

TEST_CASE("ListGroups, DescribeGroups and DeleteGroups see consumer-protocol groups", "[groups][kip848]") {
  Kip848Fixture f;
  f.consumer.groups["cg-empty"] = {};
  REQUIRE(f.commit_as("m1", 5, 1) == ErrorCode::none);  // a classic entry holds cg's offsets
  f.stable_single("classic");

  auto listed = [&](std::vector<std::string> states) {
    auto [error, groups] = f.c().list_groups(states);
    REQUIRE(error == ErrorCode::none);
    std::map<std::string, std::pair<std::string, std::string>> out;  // id -> (type, state)
    for (const auto& g : groups) {
      REQUIRE(out.emplace(g.group_id, std::pair{g.group_type, g.state}).second);  // no duplicates
      if (g.group_type == "consumer") CHECK(g.protocol_type == "consumer");
    }
    return out;
  };
  auto all = listed({});
  CHECK(all.size() == 3);
  CHECK(all.at("cg") == std::pair<std::string, std::string>{"consumer", "Stable"});
  CHECK(all.at("cg-empty") == std::pair<std::string, std::string>{"consumer", "Empty"});
  CHECK(all.at("classic") == std::pair<std::string, std::string>{"classic", "Stable"});
  auto stable = listed({"stable"});
  CHECK(stable.size() == 2);
  CHECK(stable.count("cg"));
  auto empty = listed({"Empty"});
  CHECK(empty.size() == 1);
  CHECK(empty.count("cg-empty"));
  CHECK(listed({"Reconciling"}).empty());

  // DescribeGroups describes classic groups only (Kafka: GROUP_ID_NOT_FOUND).
  CHECK(f.c().describe_group("cg").error == ErrorCode::group_id_not_found);
  CHECK(f.c().describe_group("classic").error == ErrorCode::none);

  auto deleted = f.c().delete_groups({"cg", "cg-empty"});
  CHECK(deleted.at("cg") == ErrorCode::non_empty_group);
  CHECK(deleted.at("cg-empty") == ErrorCode::none);
  CHECK_FALSE(f.consumer.is_consumer_group("cg-empty"));
  f.consumer.groups["cg"].clear();
  CHECK(f.c().delete_groups({"cg"}).at("cg") == ErrorCode::none);
  CHECK_FALSE(f.consumer.is_consumer_group("cg"));
  // Its offsets went with it, also from the log.
  CHECK(f.fetched("cg", f.tp) == -1);
  f.make_coordinator();
  CHECK(f.fetched("cg", f.tp) == -1);
  CHECK(f.c().delete_groups({"cg"}).at("cg") == ErrorCode::group_id_not_found);
}

TEST_CASE("SyncGroup, Heartbeat and LeaveGroup naming a consumer-protocol group", "[groups][kip848]") {
  Kip848Fixture f;
  f.consumer.instances["cg"] = {{"i1", "m1"}};
  // Kafka 3.8+ (classicGroup*ToConsumerGroup): no member of the group uses
  // the classic protocol, so each request is from an unknown member...
  auto sync = f.sync("cg", "m1", 5);
  REQUIRE(sync->has_value());
  CHECK((*sync)->error == ErrorCode::unknown_member_id);
  sync = f.sync("cg", "someone", 1);
  REQUIRE(sync->has_value());
  CHECK((*sync)->error == ErrorCode::unknown_member_id);
  CHECK(f.heartbeat("cg", "m1", 5) == ErrorCode::unknown_member_id);
  CHECK(f.heartbeat("cg", "", 0) == ErrorCode::unknown_member_id);
  // ... unless it names a static member's instance id under another member id.
  CHECK(f.heartbeat("cg", "other", 5, std::string("i1")) == ErrorCode::fenced_instance_id);
  sync = f.sync("cg", "other", 5, {}, std::string("i1"));
  REQUIRE(sync->has_value());
  CHECK((*sync)->error == ErrorCode::fenced_instance_id);
  // LeaveGroup answers per member (top level NONE).
  auto left = f.c().leave_group("cg", {{"m1", std::nullopt, ""},
                                       {"other", std::string("i1"), ""},
                                       {"", std::string("i1"), ""},
                                       {"", std::string("unknown"), ""}});
  CHECK(left.error == ErrorCode::none);
  CHECK(left.members == std::vector<ErrorCode>{ErrorCode::unknown_member_id, ErrorCode::fenced_instance_id,
                                               ErrorCode::unknown_member_id, ErrorCode::unknown_member_id});
  // The group is left intact, and no classic group took its id.
  CHECK(f.consumer.groups.at("cg").at("m1") == 5);
  CHECK(f.c().describe_group("cg").error == ErrorCode::group_id_not_found);
  CHECK(f.commit_as("m1", 5, 3) == ErrorCode::none);
}

TEST_CASE("OffsetDelete of a consumer-protocol group keeps subscribed topics", "[groups][kip848]") {
  Kip848Fixture f;
  f.consumer.topics["cg"] = {"t"};
  // No offsets committed yet: still answered per partition.
  auto none = f.c().delete_offsets("cg", {{"t", 0}, {"u", 0}});
  CHECK(none.error == ErrorCode::none);
  CHECK(none.partitions.at({"t", 0}) == ErrorCode::group_subscribed_to_topic);
  CHECK(none.partitions.at({"u", 0}) == ErrorCode::none);

  groups::CommitRequest r;
  r.group_id = "cg";
  r.member_id = "m1";
  r.generation = 5;
  r.api_version = 9;
  r.offsets.push_back({{"t", 0}, 10, -1, std::string(), -1});
  r.offsets.push_back({{"u", 0}, 20, -1, std::string(), -1});
  auto slot = std::make_shared<std::optional<groups::CommitResult>>();
  f.c().commit_offsets(r, [slot](groups::CommitResult result) { *slot = std::move(result); });
  REQUIRE(slot->has_value());

  // The group has members: only the topics it does not subscribe to go.
  auto od = f.c().delete_offsets("cg", {{"t", 0}, {"u", 0}});
  CHECK(od.error == ErrorCode::none);
  CHECK(od.partitions.at({"t", 0}) == ErrorCode::group_subscribed_to_topic);
  CHECK(od.partitions.at({"u", 0}) == ErrorCode::none);
  CHECK(f.fetched("cg", {"t", 0}) == 10);
  CHECK(f.fetched("cg", {"u", 0}) == -1);
  f.make_coordinator();  // durable
  CHECK(f.fetched("cg", {"u", 0}) == -1);
  CHECK(f.consumer.groups.at("cg").count("m1"));
}
