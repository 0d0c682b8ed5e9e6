// A group's committed offsets, by topic partition, as they are durable in
// the GroupLog (Kafka's GroupMetadata.offsets).
#pragma once

#include <map>
#include <vector>

#include "groups/group_log.hpp"
#include "groups/group_types.hpp"

namespace brokkr::groups {

class OffsetCache {
 public:
  void put(const CommittedOffset& offset) { offsets_[{offset.topic, offset.partition}] = offset; }
  bool remove(const TopicPartition& tp) { return offsets_.erase(tp) > 0; }
  const CommittedOffset* find(const TopicPartition& tp) const {
    auto it = offsets_.find(tp);
    return it == offsets_.end() ? nullptr : &it->second;
  }
  std::vector<TopicPartition> partitions() const {
    std::vector<TopicPartition> out;
    for (const auto& [tp, offset] : offsets_) out.push_back(tp);
    return out;
  }
  const std::map<TopicPartition, CommittedOffset>& all() const { return offsets_; }
  bool empty() const { return offsets_.empty(); }
  std::size_t size() const { return offsets_.size(); }

 private:
  std::map<TopicPartition, CommittedOffset> offsets_;
};

}  // namespace brokkr::groups
