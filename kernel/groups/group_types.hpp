// What the group coordinator takes and answers, independent of the wire
// versions: the handlers translate requests into these and results back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/error_code.hpp"

namespace brokkr::groups {

using protocol::ErrorCode;
using TopicPartition = std::pair<std::string, std::int32_t>;
using Bytes = std::vector<std::uint8_t>;

// One assignor a member supports, with its subscription for it.
struct Protocol {
  std::string name;
  Bytes metadata;
  bool operator==(const Protocol&) const = default;
};

struct JoinRequest {
  std::string group_id;
  std::string member_id;  // "" on a first join
  std::optional<std::string> group_instance_id;
  bool require_known_member_id = false;  // JoinGroup v4+
  bool support_skip_assignment = false;  // JoinGroup v9+
  std::string client_id;
  std::string client_host;
  std::int32_t rebalance_timeout_ms = 0;
  std::int32_t session_timeout_ms = 0;
  std::string protocol_type;
  std::vector<Protocol> protocols;
  std::string reason;
};

struct JoinedMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  Bytes metadata;
};

struct JoinResult {
  ErrorCode error = ErrorCode::none;
  std::string member_id;
  std::int32_t generation = -1;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::string leader;
  bool skip_assignment = false;
  std::vector<JoinedMember> members;  // for the leader only

  static JoinResult failure(std::string member_id, ErrorCode error) {
    JoinResult r;
    r.error = error;
    r.member_id = std::move(member_id);
    return r;
  }
};

struct SyncRequest {
  std::string group_id;
  std::int32_t generation = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::optional<std::string> protocol_type;  // v5+
  std::optional<std::string> protocol_name;  // v5+
  std::map<std::string, Bytes> assignments;  // from the leader
};

struct SyncResult {
  ErrorCode error = ErrorCode::none;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  Bytes assignment;

  static SyncResult failure(ErrorCode error) {
    SyncResult r;
    r.error = error;
    return r;
  }
};

struct HeartbeatRequest {
  std::string group_id;
  std::int32_t generation = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
};

struct LeavingMember {
  std::string member_id;  // "" with an instance id: removal by instance id
  std::optional<std::string> group_instance_id;
  std::string reason;
};

struct LeaveResult {
  ErrorCode error = ErrorCode::none;  // group level
  std::vector<ErrorCode> members;     // one per LeavingMember, in order
};

struct OffsetToCommit {
  TopicPartition partition;
  std::int64_t offset = -1;
  std::int32_t leader_epoch = -1;
  std::optional<std::string> metadata;
  std::int64_t commit_timestamp_ms = -1;  // -1: now (OffsetCommit v1 may set it)
};

struct CommitRequest {
  std::string group_id;
  std::int32_t generation = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::int64_t retention_time_ms = -1;  // v2-4; -1: the broker's retention
  std::vector<OffsetToCommit> offsets;
  // The OffsetCommit version; -1: not an OffsetCommit (e.g. transactional).
  // A member of a consumer-protocol (KIP-848) group must commit with v9+.
  std::int16_t api_version = -1;
};

using CommitResult = std::map<TopicPartition, ErrorCode>;

struct FetchedOffset {
  std::int64_t offset = -1;
  std::int32_t leader_epoch = -1;
  std::string metadata;
  ErrorCode error = ErrorCode::none;
};

// OffsetFetch v9+: who asks (for a consumer-protocol group's member check).
struct FetchMember {
  std::optional<std::string> member_id;
  std::int32_t member_epoch = -1;
};

struct OffsetFetchResult {
  ErrorCode error = ErrorCode::none;  // group level
  std::map<TopicPartition, FetchedOffset> offsets;
};

struct OffsetDeleteResult {
  ErrorCode error = ErrorCode::none;  // group level
  std::map<TopicPartition, ErrorCode> partitions;
};

struct DescribedMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  Bytes metadata;    // only while Stable
  Bytes assignment;  // only while Stable
};

struct DescribedGroup {
  ErrorCode error = ErrorCode::none;
  std::string group_id;
  std::string state;
  std::string protocol_type;
  std::string protocol;
  std::vector<DescribedMember> members;
};

struct GroupOverview {
  std::string group_id;
  std::string protocol_type;
  std::string state;
  std::string group_type = "classic";  // ListGroups v5: "classic" or "consumer" (KIP-848)
};

using JoinCallback = std::function<void(JoinResult)>;
using SyncCallback = std::function<void(SyncResult)>;
using CommitCallback = std::function<void(CommitResult)>;

}  // namespace brokkr::groups
