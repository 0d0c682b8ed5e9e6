// What the offset handlers (OffsetCommit, OffsetDelete) check against the
// metadata before the coordinator sees a request: the partition exists.
#pragma once

#include <cstdint>
#include <string>

#include "cluster/topic_metadata.hpp"

namespace brokkr::handlers {

inline bool partition_exists(const cluster::MetadataSnapshot& snapshot, const std::string& topic,
                             std::int32_t partition) {
  auto it = snapshot.topics.find(topic);
  return it != snapshot.topics.end() && partition >= 0 &&
         partition < static_cast<std::int32_t>(it->second->partitions.size());
}

}  // namespace brokkr::handlers
