#include "raft_coordinator.hpp"

#include <stdexcept>

#include "commands.hpp"
#include "encoding.hpp"

namespace brokkr::raft {

namespace {
class NullLogger final : public sdk::Logger {
 public:
  bool enabled(sdk::LogLevel) const override { return false; }
  void log(sdk::LogLevel, std::string_view) override {}
};

sdk::StoreResult unavailable() { return sdk::StoreResult{sdk::StoreStatus::unavailable, 0, 0}; }
}  // namespace

RaftCoordinator::RaftCoordinator(const sdk::PluginContext& context)
    : options_(parse_options(context)),
      logger_(context.logger ? context.logger : std::make_shared<NullLogger>()),
      notifier_(*logger_) {}

RaftCoordinator::~RaftCoordinator() {
  try {
    stop();
  } catch (const std::exception& e) {
    logger_->error(std::string("stop failed: ") + e.what());
  }
}

void RaftCoordinator::start() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (running_) return;
  {
    std::lock_guard write(write_mutex_);
    {
      std::unique_lock state(state_mutex_);
      machine_ = KvStateMachine{};
      loaded_ = false;
    }
    results_.clear();
    failed_ = false;
    auto node = std::make_unique<RaftNode>(
        RaftNodeOptions{options_.dir, options_.fsync, options_.node_id,
                        options_.snapshot_interval_entries},
        *logger_, static_cast<StateMachineHooks&>(*this));
    node->open();  // replays through apply_entry; nothing is posted while not running
    {
      std::unique_lock state(state_mutex_);
      cluster_id_ = node->cluster_id();
      loaded_ = true;
    }
    node_ = std::move(node);
    notifier_.start();
    running_ = true;
    std::lock_guard cluster(cluster_mutex_);
    controller_ = node_->leader_id();  // the sole voter leads, so it is the controller
    notifier_.post_view(make_view());
  }
}

void RaftCoordinator::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  {
    std::lock_guard write(write_mutex_);
    if (!running_) return;
    running_ = false;
    {
      // Deregister at once: registrations are ephemeral.
      std::lock_guard cluster(cluster_mutex_);
      brokers_.clear();
      controller_.reset();
      notifier_.post_view(make_view());
    }
    node_.reset();  // closes the log and releases the directory lock
    results_.clear();
  }
  // Not under write_mutex_: a callback running now may call commit() (which
  // then reports unavailable) and must be able to finish.
  notifier_.stop();
}

std::string RaftCoordinator::cluster_id() {
  std::shared_lock state(state_mutex_);
  require_loaded();
  return cluster_id_;
}

void RaftCoordinator::register_broker(const sdk::BrokerRegistration& registration) {
  // Checked under cluster_mutex_: stop() posts its final view under it too,
  // so no registration can be announced after that.
  std::lock_guard cluster(cluster_mutex_);
  if (!running_) throw std::logic_error("raft coordinator: register_broker() while not started");
  brokers_[registration.node_id] = registration;
  notifier_.post_view(make_view());
}

sdk::ClusterView RaftCoordinator::cluster_view() {
  std::lock_guard cluster(cluster_mutex_);
  return make_view();
}

sdk::ClusterView RaftCoordinator::make_view() const {
  sdk::ClusterView view;
  for (const auto& [id, registration] : brokers_) view.live_brokers.push_back(registration);
  view.controller_id = controller_;
  return view;
}

void RaftCoordinator::require_loaded() const {
  if (!loaded_) throw std::logic_error("raft coordinator: not started");
}

std::optional<sdk::VersionedValue> RaftCoordinator::get(std::string_view key) {
  std::shared_lock state(state_mutex_);
  require_loaded();
  return machine_.get(key);
}

std::vector<sdk::KeyValue> RaftCoordinator::list(std::string_view prefix) {
  std::shared_lock state(state_mutex_);
  require_loaded();
  return machine_.list(prefix);
}

sdk::StoreResult RaftCoordinator::commit(const std::vector<sdk::StoreOp>& ops) {
  if (!running_) return unavailable();
  std::lock_guard write(write_mutex_);
  if (!running_ || failed_ || !node_) return unavailable();
  sdk::StoreResult precheck;
  {
    // Only this thread writes machine_ now; the lock is for the readers' sake.
    std::shared_lock state(state_mutex_);
    precheck = machine_.check(ops);
  }
  // A batch that cannot succeed, or does nothing, never reaches the log.
  if (!precheck.ok() || ops.empty()) return precheck;

  std::uint64_t index = 0;
  try {
    index = node_->propose(encode_store_ops(ops));
  } catch (const std::exception& e) {
    failed_ = true;
    logger_->error(std::string("cannot write the metadata log, refusing commits until "
                               "restart: ") + e.what());
    return unavailable();
  }
  auto it = results_.find(index);
  if (it == results_.end()) return unavailable();  // not applied: cannot happen with one voter
  sdk::StoreResult result = it->second;
  results_.erase(it);
  return result;
}

void RaftCoordinator::apply_entry(std::uint64_t index, std::string_view payload) {
  std::vector<sdk::StoreOp> ops = decode_store_ops(payload);
  std::vector<sdk::StoreChange> changes;
  sdk::StoreResult result;
  {
    std::unique_lock state(state_mutex_);
    result = machine_.apply(ops, &changes);
  }
  if (!running_) return;  // replay during start(): nobody is waiting, nothing to announce
  results_[index] = result;
  if (!changes.empty()) notifier_.post_changes(std::move(changes));
}

std::string RaftCoordinator::snapshot_image() {
  std::shared_lock state(state_mutex_);
  return machine_.serialize();
}

void RaftCoordinator::restore_image(std::string_view image) {
  KvStateMachine restored;
  try {
    restored = KvStateMachine::deserialize(image);
  } catch (const DecodeError& e) {
    throw std::runtime_error(std::string("raft: snapshot image is corrupt: ") + e.what());
  }
  std::unique_lock state(state_mutex_);
  machine_ = std::move(restored);
}

std::uint64_t RaftCoordinator::watch(std::string prefix, sdk::StoreWatchCallback callback) {
  return notifier_.add_store_watch(std::move(prefix), std::move(callback));
}

std::uint64_t RaftCoordinator::watch_cluster(sdk::ClusterViewCallback callback) {
  return notifier_.add_cluster_watch(std::move(callback));
}

void RaftCoordinator::unwatch(std::uint64_t handle) { notifier_.remove(handle); }

std::uint64_t RaftCoordinator::current_term() {
  std::lock_guard write(write_mutex_);
  return node_ ? node_->term() : 0;
}

std::uint64_t RaftCoordinator::snapshot_index() {
  std::lock_guard write(write_mutex_);
  return node_ ? node_->snapshot_index() : 0;
}

}  // namespace brokkr::raft
