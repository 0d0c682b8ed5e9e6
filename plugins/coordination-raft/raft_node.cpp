#include "raft_node.hpp"

#include <algorithm>
#include <stdexcept>

#include "cluster_id.hpp"
#include "commands.hpp"
#include "plugin_common/file_util.hpp"

namespace brokkr::raft {

namespace fs = std::filesystem;

RaftNode::RaftNode(RaftNodeOptions options, sdk::Logger& logger, StateMachineHooks& machine)
    : options_(std::move(options)),
      logger_(logger),
      machine_(machine),
      state_file_(options_.dir / "state", options_.durable),
      snapshot_file_(options_.dir / "snapshot", options_.durable),
      voters_{options_.node_id} {}

RaftNode::~RaftNode() { close(); }

void RaftNode::open() {
  fs::create_directories(options_.dir);
  lock_ = std::make_unique<plugin_common::DirectoryLock>(options_.dir / "lock", "another coordinator");

  if (auto loaded = state_file_.load()) {
    state_ = *loaded;
  } else {
    state_ = PersistentState{0, std::nullopt, generate_cluster_id()};
    state_file_.store(state_);
    logger_.info("new metadata store in " + options_.dir.string() + ", cluster id " +
                 state_.cluster_id);
  }

  std::optional<Snapshot> snapshot = snapshot_file_.load();
  if (snapshot) {
    machine_.restore_image(snapshot->image);
    snapshot_index_ = last_applied_ = snapshot->index;
  }
  recover_log(snapshot);

  // Only this node votes, so everything it holds was committed. (With more
  // voters the commit index is learnt from the leader after a restart.)
  match_index_[options_.node_id] = log_->last_index();
  advance_commit();
  apply_committed();
  logger_.info("recovered to index " + std::to_string(last_applied_) + " (snapshot at " +
               std::to_string(snapshot_index_) + ", " + std::to_string(log_->last_index() - snapshot_index_) +
               " log entries after it)");

  state_.current_term = std::max(state_.current_term, log_->last_term());
  campaign();
}

void RaftNode::recover_log(const std::optional<Snapshot>& snapshot) {
  const std::uint64_t snap_index = snapshot ? snapshot->index : 0;
  const std::uint64_t snap_term = snapshot ? snapshot->term : 0;
  log_ = std::make_unique<RaftLog>(options_.dir / "log", options_.durable, snap_index, snap_term);
  const LogRecovery& recovery = log_->recovery();
  if (recovery.truncated_bytes > 0) {
    logger_.warn("cut " + std::to_string(recovery.truncated_bytes) + " bytes off the tail of " +
                 log_->path().string() + " (" + recovery.truncation_reason + "); kept " +
                 std::to_string(recovery.entries) + " complete entries");
  }
  if (log_->base_index() > snap_index) {
    throw std::runtime_error("raft: " + log_->path().string() + " starts after index " +
                             std::to_string(log_->base_index()) + " but the snapshot ends at " +
                             std::to_string(snap_index) + ": entries are missing");
  }
  if (log_->base_index() < snap_index) {
    // A crash between writing the snapshot and compacting, or a log that
    // lost its unsynced tail: either way the snapshot is the truth up to its index.
    if (auto term = log_->term_at(snap_index); term && *term != snap_term) {
      throw std::runtime_error("raft: " + log_->path().string() + " disagrees with the snapshot at index " +
                               std::to_string(snap_index));
    }
    log_->compact_to(snap_index, snap_term);
  }
}

void RaftNode::close() {
  log_.reset();
  lock_.reset();
  role_ = Role::follower;
  leader_.reset();
}

void RaftNode::campaign() {
  state_.current_term += 1;
  state_.voted_for = options_.node_id;
  state_file_.store(state_);  // durable before anyone learns of the vote
  role_ = Role::candidate;
  leader_.reset();
  std::size_t votes = 1;  // our own
  if (votes * 2 > voters_.size()) become_leader();
}

void RaftNode::become_leader() {
  role_ = Role::leader;
  leader_ = options_.node_id;
  // A leader commits an entry of its own term before it trusts its commit index.
  propose(encode_noop());
  logger_.info("node " + std::to_string(options_.node_id) + " is leader of term " +
               std::to_string(state_.current_term) + ", cluster id " + state_.cluster_id);
}

std::uint64_t RaftNode::propose(std::string payload) {
  if (role_ != Role::leader || !log_) throw std::logic_error("raft: not the leader");
  const std::uint64_t index = log_->last_index() + 1;
  log_->append(LogEntry{state_.current_term, index, std::move(payload)});
  log_->sync();
  match_index_[options_.node_id] = index;
  advance_commit();
  apply_committed();
  return index;
}

void RaftNode::advance_commit() {
  // The highest index durable on a majority of voters.
  std::vector<std::uint64_t> durable;
  for (std::int32_t voter : voters_) durable.push_back(match_index_[voter]);
  std::sort(durable.begin(), durable.end(), std::greater<>());
  std::uint64_t majority_index = durable[voters_.size() / 2];
  // A leader commits only entries of its own term by counting replicas
  // (earlier ones are committed with them). During recovery (not leader) a
  // single voter's whole log counts as committed.
  if (majority_index > commit_index_ &&
      (role_ != Role::leader || log_->term_at(majority_index) == state_.current_term)) {
    commit_index_ = majority_index;
  }
}

void RaftNode::apply_committed() {
  while (last_applied_ < commit_index_) {
    const std::uint64_t index = last_applied_ + 1;
    LogEntry entry = log_->entry(index);
    if (entry_type(entry.payload) == EntryType::store_ops) machine_.apply_entry(index, entry.payload);
    last_applied_ = index;
  }
  maybe_snapshot();
}

void RaftNode::maybe_snapshot() {
  if (last_applied_ - snapshot_index_ < options_.snapshot_interval_entries) return;
  // A failed snapshot costs only log space: the entries stay, and the next
  // apply tries again. It must not fail the commit that triggered it.
  try {
    const std::uint64_t term = log_->term_at(last_applied_).value();
    snapshot_file_.store(Snapshot{last_applied_, term, machine_.snapshot_image()});
    snapshot_index_ = last_applied_;
    log_->compact_to(last_applied_, term);
    logger_.debug("snapshot at index " + std::to_string(last_applied_) + ", log compacted");
  } catch (const std::exception& e) {
    logger_.error(std::string("snapshot at index ") + std::to_string(last_applied_) +
                  " failed: " + e.what());
  }
}

}  // namespace brokkr::raft
