// Kafka's classic group coordinator: consumer group membership (JoinGroup,
// SyncGroup, Heartbeat, LeaveGroup) with its state machine, rebalance and
// session timeouts, static membership, and committed offsets with their
// retention. Groups and offsets are written through a GroupLog and rebuilt
// from it by load().
//
// Threads: requests arrive on handler threads; rebalance and session
// deadlines fire as timers on the io_context. Each group has its own mutex;
// JoinGroup / SyncGroup / OffsetCommit answers are callbacks, run later and
// never under a group's lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/broker_config.hpp"
#include "groups/clock.hpp"
#include "groups/group.hpp"
#include "groups/group_log.hpp"
#include "groups/group_types.hpp"

namespace brokkr::cluster { class MetadataCache; }
namespace brokkr::groups::consumer {
class ConsumerGroupLookup;
class ConsumerGroupReplaySink;
}  // namespace brokkr::groups::consumer

namespace brokkr::groups {

class Outbox;

inline constexpr const char* kOffsetsTopic = "__consumer_offsets";
// A JoinGroup of a new member waits at most this long (Kafka's NewMemberJoinTimeoutMs).
inline constexpr std::int32_t kNewMemberJoinTimeoutMs = 5 * 60 * 1000;
// Group metadata larger than one record of __consumer_offsets may hold
// (Kafka's default message.max.bytes) is refused like a failed write.
inline constexpr std::size_t kMaxGroupRecordBytes = 1048588;

class GroupCoordinator {
 public:
  // `metadata` (may be null: every group is local) finds the leader of a
  // group's __consumer_offsets partition once a GroupLog is loaded.
  GroupCoordinator(boost::asio::io_context& io, config::GroupsConfig config, std::int32_t local_node_id,
                   const cluster::MetadataCache* metadata = nullptr, Clock clock = Clock::system());
  ~GroupCoordinator();
  GroupCoordinator(const GroupCoordinator&) = delete;
  GroupCoordinator& operator=(const GroupCoordinator&) = delete;

  // -- lifecycle and durability --
  // Starts the offset retention checks.
  void start();
  // Cancels every timer; requests answer COORDINATOR_NOT_AVAILABLE from then on.
  void stop();
  // Until load() finishes, group requests answer COORDINATOR_LOAD_IN_PROGRESS.
  // Call it first when load() runs after the listeners have started.
  void mark_loading();
  // Replays every partition of `log` (groups come back with their members,
  // whose session timers restart, and their offsets), then writes to it.
  // Without a log the coordinator keeps everything in memory only.
  void load(GroupLog& log);
  // The same for some partitions only (those this broker leads).
  void load(GroupLog& log, const std::vector<std::int32_t>& partitions);

  // KIP-848 consumer-protocol groups (may be null: there are none). Their
  // offsets are kept here like any group's (in an Empty classic entry that
  // only holds offsets), checked against the lookup's member rules; their
  // ids are refused to JoinGroup while they have members, and ListGroups,
  // DescribeGroups and DeleteGroups see them. Set before requests are served.
  void set_consumer_groups(consumer::ConsumerGroupLookup* lookup) { consumer_groups_ = lookup; }
  // Where load() hands the KIP-848 records (key versions 3-8) it replays
  // (may be null: they are skipped). Set before load().
  void set_consumer_group_replay(consumer::ConsumerGroupReplaySink* sink) { consumer_replay_ = sink; }

  // -- where a group is coordinated --
  struct Location {
    ErrorCode error = ErrorCode::none;
    std::int32_t node_id = -1;
  };
  // The leader of the group's __consumer_offsets partition (this broker
  // while there is no log or no such topic yet).
  Location locate(const std::string& group_id) const;
  // What a group request for `group_id` answers before anything else: none,
  // or COORDINATOR_NOT_AVAILABLE (stopped), COORDINATOR_LOAD_IN_PROGRESS
  // (loading), NOT_COORDINATOR, ... (KIP-848 groups use it too).
  ErrorCode coordinator_error(const std::string& group_id) const {
    return check_status(group_id, true).value_or(ErrorCode::none);
  }

  // -- group membership --
  void join_group(JoinRequest request, JoinCallback respond);
  void sync_group(SyncRequest request, SyncCallback respond);
  ErrorCode heartbeat(const HeartbeatRequest& request);
  LeaveResult leave_group(const std::string& group_id, const std::vector<LeavingMember>& members);

  // -- offsets --
  // Answers once the offsets are durable. Unknown topics are the caller's
  // to refuse (it knows the metadata).
  void commit_offsets(CommitRequest request, CommitCallback respond);
  // `partitions` none: every committed offset of the group.
  // `member`: OffsetFetch v9+'s member id and epoch, checked for a
  // consumer-protocol group; none (older versions): not checked.
  OffsetFetchResult fetch_offsets(const std::string& group_id,
                                  const std::optional<std::vector<TopicPartition>>& partitions,
                                  const std::optional<FetchMember>& member = std::nullopt);
  OffsetDeleteResult delete_offsets(const std::string& group_id, const std::vector<TopicPartition>& partitions);

  // -- administration --
  DescribedGroup describe_group(const std::string& group_id);
  // `states`: Kafka state names, any case; empty lists every group.
  std::pair<ErrorCode, std::vector<GroupOverview>> list_groups(const std::vector<std::string>& states);
  std::map<std::string, ErrorCode> delete_groups(const std::vector<std::string>& group_ids);

  // -- time (public for tests; timers call them too) --
  // Handles every deadline due by the clock's time in every group.
  void run_due_timers();
  // One pass of offset retention (every offsets_retention_check_interval_ms).
  void expire_offsets();

  const config::GroupsConfig& config() const { return config_; }

 private:
  struct Entry;
  using EntryPtr = std::shared_ptr<Entry>;

  // -- groups map (group_coordinator.cpp) --
  EntryPtr find_entry(const std::string& group_id) const;
  EntryPtr find_or_create_entry(const std::string& group_id);
  void erase_entry(Entry& entry);  // entry locked; marks it Dead
  std::vector<EntryPtr> all_entries() const;
  std::optional<ErrorCode> check_status(const std::string& group_id, bool allow_empty_id) const;
  // SyncGroup/Heartbeat/LeaveGroup naming a KIP-848 group: the error to
  // answer; nullopt when `group_id` is not one (group_membership.cpp).
  std::optional<ErrorCode> consumer_group_member_error(const std::string& group_id, const std::string& member_id,
                                                       const std::optional<std::string>& instance_id) const;
  TimePoint now() const { return clock_.steady(); }
  std::int64_t wall_ms() const { return clock_.wall_ms(); }

  // -- joining (group_join.cpp); all with the entry locked --
  void new_member_join(Entry& entry, Outbox& out, const JoinRequest& request, JoinCallback& respond);
  void current_member_join(Entry& entry, Outbox& out, const JoinRequest& request, JoinCallback& respond);
  void static_member_rejoin(Entry& entry, Outbox& out, const JoinRequest& request, const std::string& old_id,
                            const std::string& new_id, JoinCallback& respond);
  void on_static_member_stored(Entry& entry, Outbox& out, ErrorCode error, const std::string& old_id,
                               const std::string& new_id, const std::optional<std::string>& old_leader,
                               const Member& previous, bool support_skip_assignment);
  void add_member_and_rebalance(Entry& entry, Outbox& out, const JoinRequest& request, const std::string& member_id,
                                JoinCallback respond);
  void update_member(Outbox& out, Member& member, const JoinRequest& request, JoinCallback respond);
  std::optional<ErrorCode> validate_member(const Group& group, const std::string& member_id,
                                           const std::optional<std::string>& instance_id) const;
  JoinResult generation_info(const Group& group, const std::string& member_id, bool with_members) const;

  // -- rebalancing (group_rebalance.cpp); entry locked --
  void maybe_prepare_rebalance(Entry& entry, Outbox& out, const std::string& reason);
  void prepare_rebalance(Entry& entry, Outbox& out, const std::string& reason);
  void maybe_complete_join(Entry& entry, Outbox& out);
  void complete_join(Entry& entry, Outbox& out);
  void remove_member_and_update(Entry& entry, Outbox& out, const std::string& member_id, const std::string& reason);
  void remove_pending_member(Entry& entry, Outbox& out, const std::string& member_id);
  void leader_sync(Entry& entry, Outbox& out, const std::map<std::string, Bytes>& assignments);
  void propagate_assignment(Entry& entry, Outbox& out, ErrorCode error);
  void schedule_session(Member& member, std::int32_t timeout_ms);

  // -- deadlines and timers (group_timers.cpp); entry locked --
  void process_deadlines(Entry& entry, Outbox& out);
  void on_join_deadline(Entry& entry, Outbox& out);
  void on_sync_deadline(Entry& entry, Outbox& out);
  void on_session_deadline(Entry& entry, Outbox& out, const std::string& member_id);
  void arm_timer(Entry& entry);
  void on_timer(const EntryPtr& entry);
  void arm_retention_timer();

  // -- the log (group_coordinator.cpp) --
  StoredGroup stored(const Group& group) const;
  void write_group(Outbox& out, StoredGroup group, GroupLog::Done done);
  void write_offsets(Outbox& out, const std::string& group_id, std::vector<CommittedOffset> offsets,
                     GroupLog::Done done);
  void write_removals(Outbox& out, const std::string& group_id, std::vector<TopicPartition> partitions,
                      bool remove_group);
  void load_partition(GroupLog& log, std::int32_t partition);

  // -- offsets (group_offsets.cpp) --
  void store_offsets(Entry& entry, Outbox& out, const CommitRequest& request, CommitCallback respond);
  void commit_consumer_group_offsets(CommitRequest request, CommitCallback respond);

  boost::asio::io_context& io_;
  const config::GroupsConfig config_;
  const std::int32_t local_node_id_;
  const cluster::MetadataCache* metadata_;
  const Clock clock_;
  consumer::ConsumerGroupLookup* consumer_groups_ = nullptr;
  consumer::ConsumerGroupReplaySink* consumer_replay_ = nullptr;
  std::atomic<GroupLog*> log_{nullptr};
  std::atomic<bool> loading_{false};
  std::atomic<bool> stopped_{false};

  mutable std::mutex groups_mutex_;  // taken after a group's lock, never before
  std::map<std::string, EntryPtr> groups_;

  std::mutex retention_mutex_;
  boost::asio::steady_timer retention_timer_;
};

}  // namespace brokkr::groups
