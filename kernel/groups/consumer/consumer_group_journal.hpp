// How a KIP-848 group's state goes to __consumer_offsets and comes back.
//
// Writing: the manager takes an image of a group before a change and
// compares it with the group after; journal_changes() turns the differences
// into Kafka's records, in the order Kafka's coordinator writes them:
//   members removed:  tombstones 8, 7, 5 (current assignment, target, metadata)
//   then  5 (changed member metadata), 4 (subscribed topics), 3 (group epoch),
//         7 (changed targets), 6 (assignment epoch), 8 (changed current assignments)
//   group deleted:    member tombstones, then 6, 4, 3 tombstones
// A heartbeat that changes nothing durable writes nothing.
//
// Loading: ConsumerGroupReplay takes the records of a partition in log
// order (the last value of a key wins, a tombstone removes it, a group
// tombstone forgets the group) and builds the groups at the end. A member
// exists when its metadata record (5) does; a group when its epoch (3) or a
// member does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "groups/consumer/consumer_group.hpp"
#include "groups/group_log.hpp"

namespace brokkr::groups::consumer {

// The durable part of a group.
struct GroupImage {
  std::int32_t group_epoch = 0;
  std::int32_t assignment_epoch = 0;
  SubscriptionMetadata subscription_metadata;
  std::map<std::string, ConsumerGroupMember> members;
  std::map<std::string, PartitionSet> targets;
};
GroupImage image_of(const ConsumerGroup& group);

// `before` null: a new group; `after` null: the group is deleted.
// Throws std::invalid_argument for a string over 32767 bytes.
std::vector<GroupRecord> journal_changes(const std::string& group_id, const GroupImage* before,
                                         const GroupImage* after);

class ConsumerGroupReplay {
 public:
  // False when the key is not a consumer group record (3-8). Throws
  // protocol::DecodeError for a malformed key or value.
  bool apply(std::span<const std::uint8_t> key, std::optional<std::span<const std::uint8_t>> value);

  // The groups replayed so far (members without session or rebalance
  // deadlines: the caller sets them); the replay starts empty again.
  std::vector<ConsumerGroup> take();

 private:
  struct Partial {
    std::optional<std::int32_t> group_epoch;
    std::optional<std::int32_t> assignment_epoch;
    SubscriptionMetadata subscription_metadata;
    std::map<std::string, ConsumerGroupMember> metadata;     // type 5
    std::map<std::string, ConsumerGroupMember> assignments;  // type 8
    std::map<std::string, PartitionSet> targets;             // type 7
  };
  std::map<std::string, Partial> groups_;
};

}  // namespace brokkr::groups::consumer
