// Sets of partitions keyed by topic id, as the KIP-848 protocol names them
// (a topic deleted and created again under the same name is another topic).
#pragma once

#include <cstdint>
#include <map>
#include <set>

#include "protocol/uuid.hpp"

namespace brokkr::groups::consumer {

struct UuidLess {
  bool operator()(const protocol::Uuid& a, const protocol::Uuid& b) const { return a.bytes < b.bytes; }
};

using PartitionSet = std::map<protocol::Uuid, std::set<std::int32_t>, UuidLess>;

inline bool contains(const PartitionSet& set, const protocol::Uuid& topic, std::int32_t partition) {
  auto it = set.find(topic);
  return it != set.end() && it->second.count(partition) > 0;
}

inline std::size_t partition_count(const PartitionSet& set) {
  std::size_t n = 0;
  for (const auto& [topic, partitions] : set) n += partitions.size();
  return n;
}

// Drops topics left with no partitions, so equal sets compare equal.
inline void compact(PartitionSet& set) {
  std::erase_if(set, [](const auto& entry) { return entry.second.empty(); });
}

}  // namespace brokkr::groups::consumer
