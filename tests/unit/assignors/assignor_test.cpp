// The bundled assignor plugins (range, roundrobin, uniform), through the
// sdk::Assignor interface: Kafka's documented examples, and properties over
// random groups — every subscribed partition assigned exactly once and only
// to a subscriber, balance, determinism, and for uniform stickiness (a join
// or a leave moves no more partitions than it must).
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "range_assignor.hpp"
#include "roundrobin_assignor.hpp"
#include "uniform_assignor.hpp"

namespace {

using brokkr::sdk::Assignment;
using brokkr::sdk::AssignmentInput;
using brokkr::sdk::AssignorMember;
using brokkr::sdk::AssignorTopic;
using brokkr::sdk::TopicPartitions;
using TP = std::pair<std::string, std::int32_t>;

AssignorMember member(std::string id, std::vector<std::string> topics,
                      std::vector<TopicPartitions> owned = {}) {
  AssignorMember m;
  m.member_id = std::move(id);
  m.subscribed_topics = std::move(topics);
  m.owned = std::move(owned);
  return m;
}

AssignorTopic topic(std::string name, std::int32_t partitions) {
  AssignorTopic t;
  t.name = std::move(name);
  t.partition_count = partitions;
  return t;
}

std::map<std::string, std::set<TP>> flatten(const Assignment& assignment) {
  std::map<std::string, std::set<TP>> out;
  for (const auto& [id, topics] : assignment) {
    auto& set = out[id];
    for (const auto& tps : topics) {
      for (auto p : tps.partitions) set.emplace(tps.topic, p);
    }
  }
  return out;
}

// Every partition of a topic someone subscribes to goes to exactly one
// subscriber; every member appears; nothing else is assigned.
void check_complete(const AssignmentInput& input, const Assignment& assignment) {
  std::map<std::string, std::set<std::string>> subscriptions;
  for (const auto& m : input.members) {
    subscriptions[m.member_id].insert(m.subscribed_topics.begin(), m.subscribed_topics.end());
    REQUIRE(assignment.count(m.member_id) == 1);
  }
  REQUIRE(assignment.size() == subscriptions.size());
  std::map<TP, int> times;
  for (const auto& [id, topics] : assignment) {
    for (const auto& tps : topics) {
      for (auto p : tps.partitions) {
        INFO("member " << id << " has " << tps.topic << "-" << p);
        REQUIRE(subscriptions[id].count(tps.topic) == 1);
        ++times[{tps.topic, p}];
      }
    }
  }
  for (const auto& t : input.topics) {
    bool subscribed = false;
    for (const auto& [id, topics] : subscriptions) subscribed = subscribed || topics.count(t.name);
    for (std::int32_t p = 0; p < t.partition_count; ++p) {
      INFO(t.name << "-" << p);
      REQUIRE(times[{t.name, p}] == (subscribed ? 1 : 0));
      times.erase({t.name, p});
    }
  }
  for (const auto& [tp, n] : times) INFO(tp.first << "-" << tp.second << " x" << n);
  REQUIRE(std::all_of(times.begin(), times.end(), [](const auto& e) { return e.second == 0; }));
}

std::map<std::string, std::size_t> loads(const Assignment& assignment) {
  std::map<std::string, std::size_t> out;
  for (const auto& [id, set] : flatten(assignment)) out[id] = set.size();
  return out;
}

std::size_t spread(const Assignment& assignment) {
  auto l = loads(assignment);
  std::size_t lo = SIZE_MAX, hi = 0;
  for (const auto& [id, n] : l) { lo = std::min(lo, n); hi = std::max(hi, n); }
  return l.empty() ? 0 : hi - lo;
}

// No member can hand a partition, directly or through a chain of members,
// to a member holding two or more fewer: the uniform assignor's balance.
void check_no_improving_chain(const AssignmentInput& input, const Assignment& assignment) {
  auto held = flatten(assignment);
  std::map<std::string, std::set<std::string>> subs;
  for (const auto& m : input.members) subs[m.member_id].insert(m.subscribed_topics.begin(), m.subscribed_topics.end());
  for (const auto& [source, partitions] : held) {
    std::set<std::string> seen{source};
    std::vector<std::string> queue{source};
    while (!queue.empty()) {
      auto u = queue.back();
      queue.pop_back();
      for (const auto& [v, topics] : subs) {
        if (seen.count(v)) continue;
        bool edge = false;
        for (const auto& tp : held[u]) edge = edge || topics.count(tp.first);
        if (!edge) continue;
        seen.insert(v);
        queue.push_back(v);
        INFO(source << " (" << partitions.size() << ") reaches " << v << " (" << held[v].size() << ")");
        REQUIRE(held[v].size() + 2 > partitions.size());
      }
    }
  }
}

std::vector<TopicPartitions> as_owned(const std::set<TP>& set) {
  std::vector<TopicPartitions> out;
  for (const auto& [t, p] : set) {
    if (out.empty() || out.back().topic != t) out.push_back({t, {}});
    out.back().partitions.push_back(p);
  }
  return out;
}

AssignmentInput random_input(std::mt19937& rng, bool homogeneous) {
  AssignmentInput input;
  int topics = std::uniform_int_distribution<int>(1, 5)(rng);
  int members = std::uniform_int_distribution<int>(1, 9)(rng);
  std::vector<std::string> names;
  for (int t = 0; t < topics; ++t) {
    names.push_back("t" + std::to_string(t));
    input.topics.push_back(topic(names.back(), std::uniform_int_distribution<int>(0, 17)(rng)));
  }
  for (int m = 0; m < members; ++m) {
    std::vector<std::string> subscribed;
    for (const auto& n : names) {
      if (homogeneous || std::uniform_int_distribution<int>(0, 2)(rng) > 0) subscribed.push_back(n);
    }
    input.members.push_back(member("member-" + std::to_string(m), subscribed));
  }
  return input;
}

}  // namespace

TEST_CASE("range: contiguous ranges per topic, the first members get one more", "[assignors][range]") {
  brokkr::assignors::RangeAssignor range;
  CHECK(range.name() == "range");
  AssignmentInput input;
  input.members = {member("b", {"x", "y"}), member("a", {"x", "y"}), member("c", {"y"})};
  input.topics = {topic("x", 3), topic("y", 7)};
  auto out = flatten(range.assign(input));
  // x over a, b: a 0-1, b 2. y over a, b, c: 3, 2, 2.
  CHECK(out["a"] == std::set<TP>{{"x", 0}, {"x", 1}, {"y", 0}, {"y", 1}, {"y", 2}});
  CHECK(out["b"] == std::set<TP>{{"x", 2}, {"y", 3}, {"y", 4}});
  CHECK(out["c"] == std::set<TP>{{"y", 5}, {"y", 6}});
  check_complete(input, range.assign(input));
}

TEST_CASE("range: more members than partitions leaves the last ones empty", "[assignors][range]") {
  brokkr::assignors::RangeAssignor range;
  AssignmentInput input;
  input.members = {member("a", {"x"}), member("b", {"x"}), member("c", {"x"})};
  input.topics = {topic("x", 2)};
  auto out = range.assign(input);
  check_complete(input, out);
  CHECK(flatten(out)["c"].empty());
}

TEST_CASE("roundrobin: partitions sorted and dealt in member order", "[assignors][roundrobin]") {
  brokkr::assignors::RoundRobinAssignor rr;
  CHECK(rr.name() == "roundrobin");
  AssignmentInput input;
  input.members = {member("c", {"x", "y"}), member("a", {"x", "y"}), member("b", {"x", "y"})};
  input.topics = {topic("y", 3), topic("x", 2)};
  auto out = flatten(rr.assign(input));
  CHECK(out["a"] == std::set<TP>{{"x", 0}, {"y", 1}});
  CHECK(out["b"] == std::set<TP>{{"x", 1}, {"y", 2}});
  CHECK(out["c"] == std::set<TP>{{"y", 0}});
}

TEST_CASE("roundrobin: members not subscribed to a topic are skipped", "[assignors][roundrobin]") {
  brokkr::assignors::RoundRobinAssignor rr;
  AssignmentInput input;
  input.members = {member("a", {"x"}), member("b", {"x", "y"}), member("c", {"y"})};
  input.topics = {topic("x", 3), topic("y", 3)};
  auto assignment = rr.assign(input);
  check_complete(input, assignment);
  auto out = flatten(assignment);
  // x-0 a, x-1 b, x-2 a; y-0 b (deal is at b), y-1 c, y-2 b.
  CHECK(out["a"] == std::set<TP>{{"x", 0}, {"x", 2}});
  CHECK(out["b"] == std::set<TP>{{"x", 1}, {"y", 0}, {"y", 2}});
  CHECK(out["c"] == std::set<TP>{{"y", 1}});
}

TEST_CASE("every assignor: each subscribed partition exactly once, only to subscribers", "[assignors]") {
  brokkr::assignors::RangeAssignor range;
  brokkr::assignors::RoundRobinAssignor rr;
  brokkr::assignors::UniformAssignor uniform;
  std::mt19937 rng(848);
  for (int round = 0; round < 300; ++round) {
    auto input = random_input(rng, round % 2 == 0);
    for (brokkr::sdk::Assignor* a : {static_cast<brokkr::sdk::Assignor*>(&range),
                                     static_cast<brokkr::sdk::Assignor*>(&rr),
                                     static_cast<brokkr::sdk::Assignor*>(&uniform)}) {
      INFO("round " << round << " assignor " << a->name());
      auto out = a->assign(input);
      check_complete(input, out);
      CHECK(out == a->assign(input));  // deterministic
    }
  }
}

TEST_CASE("every assignor: empty groups, unknown topics, no subscriptions", "[assignors]") {
  brokkr::assignors::RangeAssignor range;
  brokkr::assignors::RoundRobinAssignor rr;
  brokkr::assignors::UniformAssignor uniform;
  for (brokkr::sdk::Assignor* a : {static_cast<brokkr::sdk::Assignor*>(&range),
                                   static_cast<brokkr::sdk::Assignor*>(&rr),
                                   static_cast<brokkr::sdk::Assignor*>(&uniform)}) {
    INFO(a->name());
    CHECK(a->assign(AssignmentInput{}).empty());
    AssignmentInput input;
    input.members = {member("a", {"missing"}), member("b", {})};
    input.topics = {topic("x", 4), topic("empty", 0)};
    auto out = a->assign(input);
    check_complete(input, out);
    CHECK(flatten(out)["a"].empty());
    CHECK(flatten(out)["b"].empty());
  }
}

TEST_CASE("roundrobin and uniform balance homogeneous groups to within one", "[assignors][balance]") {
  brokkr::assignors::RoundRobinAssignor rr;
  brokkr::assignors::UniformAssignor uniform;
  std::mt19937 rng(2024);
  for (int round = 0; round < 200; ++round) {
    auto input = random_input(rng, true);
    INFO("round " << round);
    CHECK(spread(rr.assign(input)) <= 1);
    CHECK(spread(uniform.assign(input)) <= 1);
  }
}

TEST_CASE("uniform: heterogeneous subscriptions are balanced as far as they allow", "[assignors][uniform]") {
  brokkr::assignors::UniformAssignor uniform;
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    auto input = random_input(rng, false);
    INFO("round " << round);
    auto out = uniform.assign(input);
    check_complete(input, out);
    check_no_improving_chain(input, out);
  }
}

TEST_CASE("uniform: a chain of moves balances what no single move can", "[assignors][uniform]") {
  brokkr::assignors::UniformAssignor uniform;
  AssignmentInput input;
  input.topics = {topic("x", 3), topic("y", 3)};
  input.members = {member("a", {"x"}, {{"x", {0, 1, 2}}}),
                   member("b", {"x", "y"}, {{"y", {0, 1}}}),
                   member("c", {"y"}, {{"y", {2}}})};
  auto out = uniform.assign(input);
  check_complete(input, out);
  CHECK(loads(out) == std::map<std::string, std::size_t>{{"a", 2}, {"b", 2}, {"c", 2}});
  // a passes an x partition to b, b a y partition to c: two moves.
  auto held = flatten(out);
  int kept = 0;
  for (int p = 0; p < 3; ++p) kept += held["a"].count({"x", p});
  kept += held["b"].count({"y", 0}) + held["b"].count({"y", 1}) + held["c"].count({"y", 2});
  CHECK(kept == 4);
}

TEST_CASE("uniform: invalid current assignments are dropped, not trusted", "[assignors][uniform]") {
  brokkr::assignors::UniformAssignor uniform;
  AssignmentInput input;
  input.topics = {topic("x", 4)};
  input.members = {member("a", {"x"}, {{"x", {0, 1, -1, 9}}, {"gone", {0}}}),
                   member("b", {"x"}, {{"x", {1, 2}}}),           // 1 is also a's: a keeps it
                   member("c", {"y"}, {{"x", {3}}})};             // c does not subscribe to x
  auto out = uniform.assign(input);
  check_complete(input, out);
  auto held = flatten(out);
  CHECK(held["a"] == std::set<TP>{{"x", 0}, {"x", 1}});
  CHECK(held["b"].count({"x", 2}) == 1);
  CHECK(held["c"].empty());
}

// The fewest moves a homogeneous group can make: final loads are q or q+1
// (r members at q+1, best given to those holding most), and every member
// above its final load gives the excess away.
std::size_t minimal_moves(std::vector<std::size_t> kept_loads, std::size_t partitions) {
  std::sort(kept_loads.rbegin(), kept_loads.rend());
  std::size_t members = kept_loads.size();
  std::size_t q = partitions / members, r = partitions % members, moves = 0;
  for (std::size_t i = 0; i < members; ++i) {
    std::size_t final_load = q + (i < r ? 1 : 0);
    if (kept_loads[i] > final_load) moves += kept_loads[i] - final_load;
  }
  return moves;
}

TEST_CASE("uniform: joins and leaves move as few partitions as possible", "[assignors][uniform][sticky]") {
  brokkr::assignors::UniformAssignor uniform;
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    AssignmentInput input = random_input(rng, true);
    auto previous = flatten(uniform.assign(input));
    // Members leave and join at random.
    AssignmentInput next;
    next.topics = input.topics;
    for (const auto& m : input.members) {
      if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) continue;  // leaves
      next.members.push_back(member(m.member_id, m.subscribed_topics, as_owned(previous[m.member_id])));
    }
    int joining = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int j = 0; j < joining; ++j) {
      next.members.push_back(member("new-" + std::to_string(j), input.members.front().subscribed_topics));
    }
    if (next.members.empty()) continue;
    auto out = uniform.assign(next);
    check_complete(next, out);
    CHECK(spread(out) <= 1);
    auto held = flatten(out);
    std::size_t moved = 0, total = 0;
    std::vector<std::size_t> kept_loads;
    for (const auto& m : next.members) {
      kept_loads.push_back(previous[m.member_id].size());
      for (const auto& tp : previous[m.member_id]) moved += held[m.member_id].count(tp) ? 0 : 1;
    }
    for (const auto& t : next.topics) total += static_cast<std::size_t>(t.partition_count);
    CHECK(moved == minimal_moves(kept_loads, total));
  }
}

TEST_CASE("uniform: a stable group stays put; member 3 of 3 leaving moves only its partitions", "[assignors][uniform][sticky]") {
  brokkr::assignors::UniformAssignor uniform;
  AssignmentInput input;
  input.topics = {topic("orders", 6)};
  input.members = {member("a", {"orders"}), member("b", {"orders"}), member("c", {"orders"})};
  auto first = flatten(uniform.assign(input));
  for (auto& m : input.members) m.owned = as_owned(first[m.member_id]);
  CHECK(flatten(uniform.assign(input)) == first);  // nothing moves
  input.members.pop_back();  // c leaves
  auto after = flatten(uniform.assign(input));
  for (const auto& id : {"a", "b"}) {
    for (const auto& tp : first[id]) CHECK(after[id].count(tp) == 1);
    CHECK(after[id].size() == 3);
  }
}

TEST_CASE("uniform and range: input order does not change the result", "[assignors][determinism]") {
  brokkr::assignors::UniformAssignor uniform;
  brokkr::assignors::RangeAssignor range;
  brokkr::assignors::RoundRobinAssignor rr;
  std::mt19937 rng(5);
  for (int round = 0; round < 100; ++round) {
    auto input = random_input(rng, round % 3 == 0);
    auto shuffled = input;
    std::shuffle(shuffled.members.begin(), shuffled.members.end(), rng);
    std::shuffle(shuffled.topics.begin(), shuffled.topics.end(), rng);
    CHECK(uniform.assign(input) == uniform.assign(shuffled));
    CHECK(range.assign(input) == range.assign(shuffled));
    CHECK(rr.assign(input) == rr.assign(shuffled));
  }
}
