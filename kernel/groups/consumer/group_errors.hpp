// Kafka error codes of the group protocols that protocol/error_code.hpp does
// not list yet (they can move there; the values are Kafka's).
#pragma once

#include "protocol/error_code.hpp"

namespace brokkr::groups::consumer {

inline constexpr protocol::ErrorCode kGroupMaxSizeReached = static_cast<protocol::ErrorCode>(81);
inline constexpr protocol::ErrorCode kFencedMemberEpoch = static_cast<protocol::ErrorCode>(110);
inline constexpr protocol::ErrorCode kUnreleasedInstanceId = static_cast<protocol::ErrorCode>(111);
inline constexpr protocol::ErrorCode kUnsupportedAssignor = static_cast<protocol::ErrorCode>(112);
inline constexpr protocol::ErrorCode kStaleMemberEpoch = static_cast<protocol::ErrorCode>(113);
// Kafka 4.0's Errors.INVALID_REGULAR_EXPRESSION.
inline constexpr protocol::ErrorCode kInvalidRegularExpression = static_cast<protocol::ErrorCode>(128);

}  // namespace brokkr::groups::consumer
