#include "balancer.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

namespace brokkr::assignors {
namespace {

class Balancer {
 public:
  explicit Balancer(const BalanceInput& input)
      : input_(input),
        members_(input.subscribes.size()),
        topics_(input.partition_counts.size()),
        held_(members_),
        kept_(members_),
        held_per_topic_(members_, std::vector<std::int32_t>(topics_, 0)),
        subscribers_(topics_) {
    for (std::size_t m = 0; m < members_; ++m) {
      for (std::size_t t = 0; t < topics_; ++t) {
        if (subscribes(m, t)) subscribers_[t].push_back(m);
      }
    }
  }

  std::vector<std::set<TopicPartition>> run() {
    keep_current();
    assign_unassigned();
    while (shift_one()) {
    }
    return std::move(held_);
  }

 private:
  bool subscribes(std::size_t m, std::size_t t) const {
    return t < input_.subscribes[m].size() && input_.subscribes[m][t];
  }
  std::size_t load(std::size_t m) const { return held_[m].size(); }

  void give(std::size_t m, TopicPartition tp) {
    held_[m].insert(tp);
    ++held_per_topic_[m][static_cast<std::size_t>(tp.topic)];
  }
  void take(std::size_t m, TopicPartition tp) {
    held_[m].erase(tp);
    --held_per_topic_[m][static_cast<std::size_t>(tp.topic)];
  }

  void keep_current() {
    std::set<TopicPartition> taken;
    for (std::size_t m = 0; m < members_ && m < input_.current.size(); ++m) {
      for (const auto& tp : input_.current[m]) {
        if (tp.topic < 0 || static_cast<std::size_t>(tp.topic) >= topics_) continue;
        if (tp.partition < 0 || tp.partition >= input_.partition_counts[static_cast<std::size_t>(tp.topic)]) continue;
        if (!subscribes(m, static_cast<std::size_t>(tp.topic))) continue;
        if (!taken.insert(tp).second) continue;  // claimed by an earlier member
        give(m, tp);
        kept_[m].insert(tp);
      }
    }
    taken_ = std::move(taken);
  }

  void assign_unassigned() {
    std::vector<TopicPartition> free;
    for (std::size_t t = 0; t < topics_; ++t) {
      if (subscribers_[t].empty()) continue;
      for (std::int32_t p = 0; p < input_.partition_counts[t]; ++p) {
        TopicPartition tp{static_cast<std::int32_t>(t), p};
        if (!taken_.count(tp)) free.push_back(tp);
      }
    }
    std::stable_sort(free.begin(), free.end(), [&](const TopicPartition& a, const TopicPartition& b) {
      return subscribers_[static_cast<std::size_t>(a.topic)].size() <
             subscribers_[static_cast<std::size_t>(b.topic)].size();
    });
    for (const auto& tp : free) {
      const auto& candidates = subscribers_[static_cast<std::size_t>(tp.topic)];
      std::size_t best = candidates.front();
      for (std::size_t m : candidates) {
        if (load(m) < load(best)) best = m;
      }
      give(best, tp);
    }
  }

  // Which of u's partitions of topic t to pass to v: one v had before, else
  // one u did not have before, else the highest.
  TopicPartition pick(std::size_t u, std::size_t v, std::int32_t t) const {
    auto first = held_[u].lower_bound(TopicPartition{t, 0});
    auto last = held_[u].lower_bound(TopicPartition{t + 1, 0});
    std::optional<TopicPartition> not_kept;
    TopicPartition highest{};
    for (auto it = first; it != last; ++it) {
      if (kept_[v].count(*it)) return *it;
      if (!not_kept && !kept_[u].count(*it)) not_kept = *it;
      highest = *it;
    }
    return not_kept.value_or(highest);
  }

  // Finds the most loaded member with a chain of moves to a member holding
  // at least two partitions fewer, and shifts one partition along it.
  bool shift_one() {
    std::size_t min_receiver = std::numeric_limits<std::size_t>::max();
    for (std::size_t m = 0; m < members_; ++m) {
      bool can_receive = false;
      for (std::size_t t = 0; t < topics_ && !can_receive; ++t) can_receive = subscribes(m, t);
      if (can_receive) min_receiver = std::min(min_receiver, load(m));
    }
    if (min_receiver == std::numeric_limits<std::size_t>::max()) return false;

    std::vector<std::size_t> sources(members_);
    std::iota(sources.begin(), sources.end(), 0);
    std::stable_sort(sources.begin(), sources.end(),
                     [&](std::size_t a, std::size_t b) { return load(a) > load(b); });
    for (std::size_t source : sources) {
      if (load(source) < min_receiver + 2) break;
      if (shift_from(source)) return true;
    }
    return false;
  }

  bool shift_from(std::size_t source) {
    struct Step {
      std::size_t from;
      std::int32_t topic;
    };
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    std::vector<Step> parent(members_, Step{kNone, -1});
    std::vector<bool> seen(members_, false);
    seen[source] = true;
    std::vector<std::size_t> level{source};
    std::size_t target = kNone;
    // Breadth first: the shortest chain moves the fewest partitions.
    while (!level.empty() && target == kNone) {
      std::vector<std::size_t> next;
      for (std::size_t u : level) {
        for (std::size_t t = 0; t < topics_; ++t) {
          if (held_per_topic_[u][t] == 0) continue;
          for (std::size_t v : subscribers_[t]) {
            if (seen[v]) continue;
            seen[v] = true;
            parent[v] = Step{u, static_cast<std::int32_t>(t)};
            next.push_back(v);
          }
        }
      }
      for (std::size_t v : next) {
        if (load(v) + 2 > load(source)) continue;
        if (target == kNone || load(v) < load(target) || (load(v) == load(target) && v < target)) target = v;
      }
      level = std::move(next);
    }
    if (target == kNone) return false;
    // Each member on the chain passes one partition on, so only the two
    // ends change load. Applied from the source on, so a member may pass on
    // the very partition it was just handed (one move instead of two).
    std::vector<std::size_t> chain;
    for (std::size_t v = target; v != source; v = parent[v].from) chain.push_back(v);
    std::reverse(chain.begin(), chain.end());
    for (std::size_t v : chain) {
      std::size_t u = parent[v].from;
      TopicPartition tp = pick(u, v, parent[v].topic);
      take(u, tp);
      give(v, tp);
    }
    return true;
  }

  const BalanceInput& input_;
  std::size_t members_;
  std::size_t topics_;
  std::vector<std::set<TopicPartition>> held_;
  std::vector<std::set<TopicPartition>> kept_;  // what each member kept from its current assignment
  std::vector<std::vector<std::int32_t>> held_per_topic_;
  std::vector<std::vector<std::size_t>> subscribers_;  // [topic] -> members, in order
  std::set<TopicPartition> taken_;
};

}  // namespace

std::vector<std::set<TopicPartition>> balance(const BalanceInput& input) {
  return Balancer(input).run();
}

}  // namespace brokkr::assignors
