// The `raft` coordination plugin: ClusterCoordinator on an embedded Raft
// node (today a single voter) driving the key-value state machine.
//
// Threads and locks:
//   - commit() runs on the caller's thread under write_mutex_ (one commit at
//     a time): pre-check the CAS conditions, propose (append + fsync), apply
//     under a unique state_mutex_, post the changes to the notifier.
//   - get()/list()/cluster_view() take shared locks and never wait for fsync.
//   - watch callbacks run on the notifier's thread, after the entry is
//     durable, in commit order, with no lock of ours held.
// Broker registrations are ephemeral: kept in memory, gone on stop().
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "brokkr/sdk/coordination.hpp"
#include "notifier.hpp"
#include "options.hpp"
#include "raft_node.hpp"
#include "state_machine.hpp"

namespace brokkr::raft {

class RaftCoordinator final : public sdk::ClusterCoordinator, private StateMachineHooks {
 public:
  explicit RaftCoordinator(const sdk::PluginContext& context);
  ~RaftCoordinator() override;

  void start() override;
  void stop() override;
  std::string cluster_id() override;

  void register_broker(const sdk::BrokerRegistration& registration) override;
  sdk::ClusterView cluster_view() override;

  std::optional<sdk::VersionedValue> get(std::string_view key) override;
  std::vector<sdk::KeyValue> list(std::string_view prefix) override;
  sdk::StoreResult commit(const std::vector<sdk::StoreOp>& ops) override;

  std::uint64_t watch(std::string prefix, sdk::StoreWatchCallback callback) override;
  std::uint64_t watch_cluster(sdk::ClusterViewCallback callback) override;
  void unwatch(std::uint64_t handle) override;

  // For tests and diagnostics.
  std::uint64_t current_term();
  std::uint64_t snapshot_index();
  const RaftOptions& options() const { return options_; }

 private:
  // StateMachineHooks, called by the node under write_mutex_.
  void apply_entry(std::uint64_t index, std::string_view payload) override;
  std::string snapshot_image() override;
  void restore_image(std::string_view image) override;

  sdk::ClusterView make_view() const;  // cluster_mutex_ held
  void require_loaded() const;         // state_mutex_ held

  RaftOptions options_;
  std::shared_ptr<sdk::Logger> logger_;
  Notifier notifier_;

  std::mutex lifecycle_mutex_;  // serializes start() and stop()
  std::mutex write_mutex_;      // one commit at a time; guards node_, results_
  std::unique_ptr<RaftNode> node_;
  std::map<std::uint64_t, sdk::StoreResult> results_;  // by log index, until picked up
  std::atomic<bool> running_{false};
  std::atomic<bool> failed_{false};  // a write failed: refuse commits until restart

  mutable std::shared_mutex state_mutex_;  // guards machine_, cluster_id_, loaded_
  KvStateMachine machine_;
  std::string cluster_id_;
  bool loaded_ = false;

  mutable std::mutex cluster_mutex_;  // guards brokers_, controller_
  std::map<std::int32_t, sdk::BrokerRegistration> brokers_;
  std::optional<std::int32_t> controller_;
};

}  // namespace brokkr::raft
