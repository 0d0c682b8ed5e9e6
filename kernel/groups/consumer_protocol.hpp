// The part of the consumer protocol ("consumer" protocol type) the broker
// reads: the topics a member's subscription names. Used to keep the offsets
// of subscribed topics (retention, OffsetDelete).
#pragma once

#include <optional>
#include <set>
#include <string>

#include "groups/group_types.hpp"

namespace brokkr::groups {

inline constexpr const char* kConsumerProtocolType = "consumer";

// The topics of a ConsumerProtocolSubscription (any version: every version
// starts with v0's fields); none if the bytes do not parse.
std::optional<std::set<std::string>> subscription_topics(const Bytes& metadata);

}  // namespace brokkr::groups
