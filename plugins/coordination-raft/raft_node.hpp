// The consensus module: persistent term/vote, the log, commit and apply, and
// snapshots. Today the voter set is this node alone, so it elects itself on
// open() and an entry is committed once it is durable here. Elections
// (campaign), commit by majority (advance_commit) and the follower-side log
// operations (RaftLog::truncate_after) are written for a voter set, so a
// transport and RequestVote/AppendEntries handling can be added to this
// class without changing the coordinator or the storage files.
//
// Not thread-safe: the coordinator calls it under its write lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brokkr/sdk/logger.hpp"
#include "persistent_state.hpp"
#include "raft_log.hpp"
#include "snapshot.hpp"

namespace brokkr::raft {

struct RaftNodeOptions {
  std::filesystem::path dir;
  bool durable = true;  // fsync the log, state and snapshots
  std::int32_t node_id = 0;
  std::uint64_t snapshot_interval_entries = 10000;
};

enum class Role { follower, candidate, leader };

// The node's view of the state machine it drives.
class StateMachineHooks {
 public:
  virtual ~StateMachineHooks() = default;
  // A committed store_ops entry, in index order, exactly once per node life
  // (entries covered by a restored snapshot are not replayed).
  virtual void apply_entry(std::uint64_t index, std::string_view payload) = 0;
  // An image of the state as of the last applied entry.
  virtual std::string snapshot_image() = 0;
  // Replaces the whole state with an image.
  virtual void restore_image(std::string_view image) = 0;
};

class RaftNode {
 public:
  RaftNode(RaftNodeOptions options, sdk::Logger& logger, StateMachineHooks& machine);
  ~RaftNode();

  // Locks the directory, recovers state, snapshot and log, applies the
  // committed entries, then elects itself (a new, persisted term) and
  // commits a no-op. Throws on failure.
  void open();
  void close();

  // Leader only: appends `payload`, waits until it is committed (durable on
  // a majority of voters) and applied, and returns its index.
  std::uint64_t propose(std::string payload);

  Role role() const { return role_; }
  std::uint64_t term() const { return state_.current_term; }
  std::optional<std::int32_t> leader_id() const { return leader_; }
  const std::string& cluster_id() const { return state_.cluster_id; }
  std::uint64_t commit_index() const { return commit_index_; }
  std::uint64_t last_applied() const { return last_applied_; }
  std::uint64_t snapshot_index() const { return snapshot_index_; }
  const RaftLog& log() const { return *log_; }

 private:
  void recover_log(const std::optional<Snapshot>& snapshot);
  void campaign();
  void become_leader();
  void advance_commit();
  void apply_committed();
  void maybe_snapshot();

  RaftNodeOptions options_;
  sdk::Logger& logger_;
  StateMachineHooks& machine_;
  PersistentStateFile state_file_;
  SnapshotFile snapshot_file_;

  std::unique_ptr<plugin_common::DirectoryLock> lock_;
  std::unique_ptr<RaftLog> log_;
  PersistentState state_;
  std::vector<std::int32_t> voters_;
  std::map<std::int32_t, std::uint64_t> match_index_;  // highest index durable on each voter
  Role role_ = Role::follower;
  std::optional<std::int32_t> leader_;
  std::uint64_t commit_index_ = 0;
  std::uint64_t last_applied_ = 0;
  std::uint64_t snapshot_index_ = 0;
};

}  // namespace brokkr::raft
