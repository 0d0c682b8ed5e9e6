#include "notifier.hpp"

#include <stdexcept>

namespace brokkr::raft {

void Notifier::start() {
  std::lock_guard lock(queue_mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  // run() needs queue_mutex_ first, so it cannot deliver before the id is set.
  thread_ = std::thread([this] { run(); });
  thread_id_ = thread_.get_id();
}

void Notifier::stop() {
  {
    std::lock_guard lock(queue_mutex_);
    if (!thread_.joinable()) return;
    if (std::this_thread::get_id() == thread_id_) {
      throw std::logic_error("raft coordinator: stop() called from a watch callback");
    }
    stopping_ = true;
  }
  queue_cv_.notify_all();
  thread_.join();
  std::lock_guard lock(queue_mutex_);
  thread_ = std::thread();
  thread_id_ = std::thread::id();
}

std::uint64_t Notifier::add(std::shared_ptr<Watcher> watcher) {
  {
    std::lock_guard lock(queue_mutex_);
    watcher->after_seq = next_seq_ - 1;
  }
  std::lock_guard lock(watchers_mutex_);
  std::uint64_t handle = next_handle_++;
  watchers_.emplace(handle, std::move(watcher));
  return handle;
}

std::uint64_t Notifier::add_store_watch(std::string prefix, sdk::StoreWatchCallback callback) {
  auto watcher = std::make_shared<Watcher>();
  watcher->prefix = std::move(prefix);
  watcher->store_callback = std::move(callback);
  return add(std::move(watcher));
}

std::uint64_t Notifier::add_cluster_watch(sdk::ClusterViewCallback callback) {
  auto watcher = std::make_shared<Watcher>();
  watcher->cluster_callback = std::move(callback);
  return add(std::move(watcher));
}

void Notifier::remove(std::uint64_t handle) {
  std::shared_ptr<Watcher> watcher;
  {
    std::lock_guard lock(watchers_mutex_);
    auto it = watchers_.find(handle);
    if (it == watchers_.end()) return;
    watcher = std::move(it->second);
    watchers_.erase(it);
  }
  watcher->active = false;
  if (std::this_thread::get_id() != thread_id_.load()) {
    // Wait for a callback of this watch that is running right now. (From a
    // callback on the notifier thread there is nothing to wait for but itself.)
    std::lock_guard lock(watcher->call_mutex);
  }
}

void Notifier::post(Payload payload) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Event{next_seq_++, std::move(payload)});
  }
  queue_cv_.notify_one();
}

void Notifier::post_changes(std::vector<sdk::StoreChange> changes) { post(std::move(changes)); }
void Notifier::post_view(sdk::ClusterView view) { post(std::move(view)); }

void Notifier::run() {
  for (;;) {
    Event event;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was delivered
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(event);
  }
}

void Notifier::deliver(const Event& event) {
  std::vector<std::shared_ptr<Watcher>> targets;
  {
    std::lock_guard lock(watchers_mutex_);
    for (const auto& [handle, watcher] : watchers_) {
      if (watcher->after_seq < event.seq) targets.push_back(watcher);
    }
  }
  for (const auto& watcher : targets) invoke(*watcher, event.payload);
}

void Notifier::invoke(Watcher& watcher, const Payload& payload) {
  std::lock_guard lock(watcher.call_mutex);
  if (!watcher.active) return;
  try {
    if (const auto* changes = std::get_if<std::vector<sdk::StoreChange>>(&payload)) {
      if (!watcher.store_callback) return;
      std::vector<sdk::StoreChange> matching;
      for (const auto& change : *changes) {
        if (change.key.compare(0, watcher.prefix.size(), watcher.prefix) == 0) matching.push_back(change);
      }
      if (!matching.empty()) watcher.store_callback(matching);
    } else if (watcher.cluster_callback) {
      watcher.cluster_callback(std::get<sdk::ClusterView>(payload));
    }
  } catch (const std::exception& e) {
    logger_.error(std::string("a watch callback threw: ") + e.what());
  } catch (...) {
    logger_.error("a watch callback threw a non-standard exception");
  }
}

}  // namespace brokkr::raft
