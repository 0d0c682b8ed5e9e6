// Which committed offsets have expired (Kafka 2.1+, KIP-211): offsets live as
// long as the group is in use. An Empty group's offsets expire `retention`
// after it became Empty; a Stable consumer group's offsets of topics it no
// longer subscribes to expire `retention` after their commit; a group that
// only stores offsets (no protocol type) expires each offset `retention`
// after its commit. Offsets committed with an explicit expiry (OffsetCommit
// v1-4) expire then.
#pragma once

#include <cstdint>
#include <vector>

#include "groups/group.hpp"

namespace brokkr::groups {

std::vector<TopicPartition> expired_offsets(const Group& group, std::int64_t now_ms, std::int64_t retention_ms);

}  // namespace brokkr::groups
