// A classic group's state (Kafka's GroupMetadata): members and the static
// ones by group.instance.id, generation, chosen protocol, leader, the
// rebalance bookkeeping and the committed offsets. Plain data with its
// invariants; the GroupCoordinator drives it under the group's lock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "groups/group_state.hpp"
#include "groups/member.hpp"
#include "groups/offset_cache.hpp"

namespace brokkr::groups {

// What the join phase of a rebalance waits for.
enum class JoinPhase {
  none,
  initial_delay,  // group.initial.rebalance.delay.ms after the first join of an Empty group
  rebalance,      // every member rejoins, or the rebalance timeout passes
};

class Group {
 public:
  Group(std::string id, std::int64_t now_ms) : id_(std::move(id)), state_timestamp_ms_(now_ms) {}

  const std::string& id() const { return id_; }
  GroupState state() const { return state_; }
  bool is(GroupState state) const { return state_ == state; }
  // Wall-clock time of the last transition (none: loaded from an old record).
  std::optional<std::int64_t> state_timestamp_ms() const { return state_timestamp_ms_; }
  void set_state_timestamp_ms(std::optional<std::int64_t> ms) { state_timestamp_ms_ = ms; }
  // Throws std::logic_error on a move the state machine does not allow.
  void transition_to(GroupState state, std::int64_t now_ms);
  bool can_rebalance() const { return valid_transition(state_, GroupState::preparing_rebalance); }

  // -- members --
  bool has(const std::string& member_id) const { return members_.count(member_id) > 0; }
  Member* find(const std::string& member_id);
  const std::map<std::string, Member>& members() const { return members_; }
  std::map<std::string, Member>& members() { return members_; }
  std::size_t size() const { return members_.size(); }
  bool is_leader(const std::string& member_id) const { return leader && *leader == member_id; }
  // The first member sets the protocol type and leads until it leaves.
  Member& add(Member member);
  // Removes and returns the member (its waiting callbacks are the caller's to answer).
  std::optional<Member> remove(const std::string& member_id);
  // Member id of a static member, by group.instance.id.
  std::optional<std::string> static_member(const std::string& instance_id) const;
  // Gives a member a new id (static member replacement); keeps leadership.
  Member& rename(const std::string& old_id, const std::string& new_id);
  std::size_t awaiting_join_count() const;
  bool all_members_joined() const;

  // -- protocols and generations --
  // Whether a member of `type` with `protocols` may join (Kafka's supportsProtocols).
  bool supports(const std::string& type, const std::vector<Protocol>& protocols) const;
  std::optional<std::string> select_protocol() const;
  std::int32_t rebalance_timeout_ms() const;
  // Next generation: CompletingRebalance with a selected protocol, or Empty.
  void init_next_generation(std::int64_t now_ms);
  // Every member's metadata for the chosen protocol (the leader's JoinGroup answer).
  std::vector<JoinedMember> member_metadata() const;
  // Topics the members subscribe to, for consumer groups (none: unknown).
  const std::optional<std::set<std::string>>& subscribed_topics() const { return subscribed_topics_; }
  void compute_subscribed_topics();

  // -- generation fields (Kafka's names) --
  std::int32_t generation = 0;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::optional<std::string> leader;

  // -- rebalance bookkeeping, driven by the coordinator --
  std::map<std::string, TimePoint> pending_members;  // told MEMBER_ID_REQUIRED; until they rejoin
  std::set<std::string> pending_sync;                 // joined this generation, no SyncGroup yet
  JoinPhase join_phase = JoinPhase::none;
  TimePoint join_deadline{};
  std::int32_t initial_delay_remaining_ms = 0;
  bool new_member_added = false;  // during the initial delay: extend it
  std::optional<TimePoint> sync_deadline;

  OffsetCache offsets;

 private:
  std::string id_;
  GroupState state_ = GroupState::empty;
  std::optional<std::int64_t> state_timestamp_ms_;
  std::map<std::string, Member> members_;
  std::map<std::string, std::string> static_members_;  // instance id -> member id
  std::optional<std::set<std::string>> subscribed_topics_;
};

}  // namespace brokkr::groups
