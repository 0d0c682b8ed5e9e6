// The balancing core of the `uniform` assignor, on plain indexes: members
// 0..M-1 (in member-id order), topics 0..T-1 (in name order).
//
// 1. Every member keeps the partitions it wishes to keep (its current
//    assignment) that still exist and that it still subscribes to; a
//    partition two members claim stays with the first.
// 2. Unassigned partitions go, one by one, to the least loaded member
//    subscribed to their topic; partitions of topics with fewer
//    subscribers first, since they have fewer places to go.
// 3. While some member holds at least two partitions more than another
//    member it can reach, one partition is shifted along the shortest chain
//    of moves between them (member u can pass to v a partition of a topic v
//    subscribes to). Each shift lowers the sum of squared loads, so this
//    ends; when no chain is left the loads are as even as the
//    subscriptions allow (counts differ by at most 1 when every member
//    subscribes to the same topics), and only partitions on chains moved.
#pragma once

#include <compare>
#include <cstdint>
#include <set>
#include <vector>

namespace brokkr::assignors {

struct TopicPartition {
  std::int32_t topic = 0;
  std::int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

struct BalanceInput {
  std::vector<std::int32_t> partition_counts;          // per topic
  std::vector<std::vector<bool>> subscribes;           // [member][topic]
  std::vector<std::vector<TopicPartition>> current;    // [member] -> what it wishes to keep
};

// [member] -> its partitions, sorted.
std::vector<std::set<TopicPartition>> balance(const BalanceInput& input);

}  // namespace brokkr::assignors
