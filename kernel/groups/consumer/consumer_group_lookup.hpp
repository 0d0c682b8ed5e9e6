// What the classic group coordinator (OffsetCommit, OffsetFetch, ListGroups,
// DescribeGroups, DeleteGroups) asks about groups that use the KIP-848
// consumer protocol. Implemented by ConsumerGroupManager; every call is
// thread-safe and answers from memory without blocking on I/O.
//
// Offsets of a consumer-protocol group are stored like any group's, by the
// classic coordinator; only the member check differs (Kafka's rules):
//   - OffsetCommit: member epoch < 0 from an admin client or a standalone
//     consumer is accepted while the group has no members; otherwise the
//     member must exist (UNKNOWN_MEMBER_ID) and the epoch must be its current
//     one (STALE_MEMBER_EPOCH, 113). A member of such a group must commit with
//     OffsetCommit v9+ (which carries the member epoch): for v0-v8 the
//     coordinator answers UNSUPPORTED_VERSION itself, unless transactional.
//   - OffsetFetch (v9+ with member id/epoch): no member id and epoch < 0
//     (admin) is accepted; else the same member and epoch check.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/error_code.hpp"

namespace brokkr::groups::consumer {

class ConsumerGroupLookup {
 public:
  virtual ~ConsumerGroupLookup() = default;

  // True when `group_id` is a consumer-protocol group (even with no members
  // left). Such a group id is not available to the classic protocol.
  virtual bool is_consumer_group(const std::string& group_id) const = 0;

  // none, unknown_member_id, kStaleMemberEpoch (group_errors.hpp), or
  // group_id_not_found when the group is not a consumer-protocol group.
  virtual protocol::ErrorCode validate_offset_commit(const std::string& group_id, const std::string& member_id,
                                                     std::int32_t member_epoch) const = 0;
  virtual protocol::ErrorCode validate_offset_fetch(const std::string& group_id,
                                                    const std::optional<std::string>& member_id,
                                                    std::int32_t member_epoch) const = 0;

  // For ListGroups (v5: group type "consumer") and DescribeGroups.
  struct GroupListing {
    std::string group_id;
    std::string state;  // "Empty", "Assigning", "Reconciling", "Stable"
  };
  virtual std::vector<GroupListing> list_groups() const = 0;

  // DeleteGroups: none (forgotten), non_empty_group, or group_id_not_found.
  // The caller removes the group's committed offsets itself.
  virtual protocol::ErrorCode delete_group(const std::string& group_id) = 0;

  // OffsetDelete: the topics the group's members subscribe to (names and
  // regex matches), or nullopt when it is not a consumer-protocol group.
  // Offsets of those topics answer GROUP_SUBSCRIBED_TO_TOPIC.
  virtual std::optional<std::set<std::string>> subscribed_topics(const std::string& group_id) const = 0;

  // SyncGroup, Heartbeat and LeaveGroup of a classic member naming a
  // consumer-protocol group. Kafka 3.8+ (GroupMetadataManager's
  // classicGroup*ToConsumerGroup, no classic member in the group since
  // online migration is not supported here) answers:
  //   fenced_instance_id  the instance id is held by another member id;
  //   unknown_member_id   otherwise (no such member, no such instance id, or
  //                       a member that does not use the classic protocol).
  // group_id_not_found when the group is not a consumer-protocol group.
  virtual protocol::ErrorCode validate_classic_member(const std::string& group_id, const std::string& member_id,
                                                      const std::optional<std::string>& instance_id) const = 0;
};

}  // namespace brokkr::groups::consumer
