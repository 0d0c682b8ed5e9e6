// The coordinator of KIP-848 consumer groups (ConsumerGroupHeartbeat,
// ConsumerGroupDescribe): members and their epochs, the group epoch, the
// target assignment computed by the group's assignor plugin, and each
// member's reconciliation toward it (revocation before reassignment).
//
// - The assignor of a group is the one most of its members name in
//   server_assignor, else the first offered (GroupsConfig::consumer_assignors).
// - Subscriptions are topic names and/or a regex (topic_regex.hpp); an
//   invalid regex gets INVALID_REGULAR_EXPRESSION (128). The regex is
//   resolved again whenever the metadata changed (topics created or
//   deleted); a change of what it matches bumps the group epoch.
// - A member that sends no heartbeat for the session timeout, or does not
//   revoke within its rebalance timeout, is fenced by expire_members().
// - Metadata changes of subscribed topics (partitions added, topic created
//   or deleted) bump the group epoch on the next heartbeat, which computes a
//   new target assignment.
// - State is durable once set_log() is called: every change is written to
//   the GroupLog (__consumer_offsets) as Kafka's records
//   (consumer_group_journal.hpp), under the lock so they land in change
//   order; the asynchronous heartbeat() answers once they are durable. At
//   start the classic coordinator's loader replays them here
//   (ConsumerGroupReplaySink); members' sessions restart at load, so members
//   that do not heartbeat within the session timeout are fenced, and those
//   that do carry on with their member id and epoch.
//
// Thread-safe: one mutex; assignors are called under it, so a plugin's
// assign() never runs concurrently with itself.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "brokkr/sdk/assignor.hpp"
#include "cluster/topic_metadata.hpp"
#include "groups/consumer/consumer_group.hpp"
#include "groups/consumer/consumer_group_journal.hpp"
#include "groups/consumer/consumer_group_lookup.hpp"
#include "groups/consumer/consumer_group_replay_sink.hpp"
#include "groups/consumer/topic_regex.hpp"
#include "groups/group_log.hpp"
#include "protocol/generated/consumer_group_describe_response.hpp"
#include "protocol/generated/consumer_group_heartbeat_request.hpp"
#include "protocol/generated/consumer_group_heartbeat_response.hpp"

namespace brokkr::groups::consumer {

struct ConsumerGroupSettings {
  std::int32_t session_timeout_ms = 45000;
  std::int32_t heartbeat_interval_ms = 5000;
  std::int32_t max_group_size = 2147483647;
};

// The assignors to offer: those of `names` (in that order) found among
// `loaded` by protocol name. Names not loaded are returned in `missing`.
struct OfferedAssignors {
  std::vector<sdk::Assignor*> assignors;
  std::vector<std::string> missing;
};
OfferedAssignors offered_assignors(const std::vector<std::string>& names,
                                   const std::vector<sdk::Assignor*>& loaded);

class ConsumerGroupManager final : public ConsumerGroupLookup, public ConsumerGroupReplaySink {
 public:
  using MetadataSource = std::function<std::shared_ptr<const cluster::MetadataSnapshot>()>;
  using ClockSource = std::function<Clock::time_point()>;

  // `assignors` must not be empty and must outlive the manager.
  ConsumerGroupManager(ConsumerGroupSettings settings, std::vector<sdk::Assignor*> assignors,
                       MetadataSource metadata, ClockSource clock = &Clock::now);

  struct ClientInfo {
    std::string client_id;
    std::string client_host;
  };
  // Answers at once; what the heartbeat changed is being written.
  protocol::ConsumerGroupHeartbeatResponse heartbeat(const protocol::ConsumerGroupHeartbeatRequest& request,
                                                     const ClientInfo& client);
  // Answers once what the heartbeat changed is durable (at once when it
  // changed nothing durable); a failed write answers its error
  // (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, REQUEST_TIMED_OUT, ...).
  // `respond` may run on another thread.
  void heartbeat(const protocol::ConsumerGroupHeartbeatRequest& request, const ClientInfo& client,
                 std::function<void(protocol::ConsumerGroupHeartbeatResponse)> respond);
  protocol::ConsumerGroupDescribeResponse::DescribedGroup describe(const std::string& group_id,
                                                                   bool include_authorized_operations) const;

  // Fences the members whose session or revocation deadline has passed.
  void expire_members();

  // Where group state is written (may be null: in memory only). Set it
  // before requests are served; it must outlive the manager's use.
  void set_log(GroupLog* log) { log_ = log; }

  // Hooks to the classic coordinator; set them before requests are served.
  // They are called outside the manager's lock (they may take the classic
  // coordinator's locks, and it may call the ConsumerGroupLookup below).
  //
  // Does a classic group hold this id? Such ids are refused here
  // (GROUP_ID_NOT_FOUND, as Kafka does). Unset: no.
  void set_classic_group_check(std::function<bool(const std::string&)> check);
  // Where groups are coordinated (the leader of the group's __consumer_offsets
  // partition): none when this broker coordinates `group_id`, else the error
  // to answer (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...). Unset:
  // this broker coordinates every group.
  void set_coordinator_check(std::function<protocol::ErrorCode(const std::string&)> check);

  // ConsumerGroupLookup.
  bool is_consumer_group(const std::string& group_id) const override;
  protocol::ErrorCode validate_offset_commit(const std::string& group_id, const std::string& member_id,
                                             std::int32_t member_epoch) const override;
  protocol::ErrorCode validate_offset_fetch(const std::string& group_id,
                                            const std::optional<std::string>& member_id,
                                            std::int32_t member_epoch) const override;
  std::vector<GroupListing> list_groups() const override;
  protocol::ErrorCode delete_group(const std::string& group_id) override;
  std::optional<std::set<std::string>> subscribed_topics(const std::string& group_id) const override;
  protocol::ErrorCode validate_classic_member(const std::string& group_id, const std::string& member_id,
                                              const std::optional<std::string>& instance_id) const override;

  // ConsumerGroupReplaySink.
  bool replay_record(std::span<const std::uint8_t> key,
                     std::optional<std::span<const std::uint8_t>> value) override;
  void replay_done() override;

 private:
  using Request = protocol::ConsumerGroupHeartbeatRequest;
  using Response = protocol::ConsumerGroupHeartbeatResponse;

  // The heartbeat under the lock; its changes are written with `done`
  // (null: failures are logged). `wrote`: whether a write was issued.
  Response run_heartbeat(const Request& request, const ClientInfo& client, const GroupLog::Done* done,
                         bool& wrote);
  // Writes what changed in `group_id` since `before` (nullopt: it did not
  // exist); false when nothing changed. Lock held.
  bool journal(const std::string& group_id, const std::optional<GroupImage>& before, GroupLog::Done done);
  GroupLog::Done log_failure(const std::string& group_id) const;
  // Resolves the regex of every member of `members` against `snapshot`;
  // returns the ids whose matches changed. Lock held.
  std::vector<std::string> resolve_regexes(std::map<std::string, ConsumerGroupMember>& members,
                                           const std::shared_ptr<const cluster::MetadataSnapshot>& snapshot);
  void validate(const Request& request) const;
  Response join_or_heartbeat(const Request& request, const ClientInfo& client, Clock::time_point now,
                             bool classic);
  Response leave(const Request& request);
  void fence(ConsumerGroup& group, const std::string& member_id, const char* reason);
  sdk::Assignor& assignor_for(const std::optional<std::string>& preferred) const;

  ConsumerGroupSettings settings_;
  std::vector<sdk::Assignor*> assignors_;  // first: the default
  MetadataSource metadata_;
  ClockSource clock_;
  std::function<bool(const std::string&)> classic_group_check_;
  std::function<protocol::ErrorCode(const std::string&)> coordinator_check_;

  GroupLog* log_ = nullptr;

  mutable std::mutex mutex_;
  std::map<std::string, ConsumerGroup> groups_;
  TopicRegexResolver regexes_;
  ConsumerGroupReplay replay_;  // the partition being loaded
};

}  // namespace brokkr::groups::consumer
