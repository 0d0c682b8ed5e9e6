// Watch delivery: a plugin-owned thread that runs watch callbacks in commit
// order. Producers post events (already durable) and return at once; no
// store lock is held while a callback runs.
//
// A watch sees the events posted after it was added. After remove()
// returns, its callback is not running and will not run again (unless
// remove() is called from a callback, which cannot wait for itself).
// Exceptions thrown by callbacks are logged and swallowed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "brokkr/sdk/coordination.hpp"
#include "brokkr/sdk/logger.hpp"

namespace brokkr::raft {

class Notifier {
 public:
  explicit Notifier(sdk::Logger& logger) : logger_(logger) {}
  ~Notifier() { stop(); }
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void start();
  // Delivers what was posted before, then joins the thread. Must not be
  // called from a callback.
  void stop();

  std::uint64_t add_store_watch(std::string prefix, sdk::StoreWatchCallback callback);
  std::uint64_t add_cluster_watch(sdk::ClusterViewCallback callback);
  void remove(std::uint64_t handle);

  void post_changes(std::vector<sdk::StoreChange> changes);
  void post_view(sdk::ClusterView view);

 private:
  using Payload = std::variant<std::vector<sdk::StoreChange>, sdk::ClusterView>;
  struct Event {
    std::uint64_t seq;
    Payload payload;
  };
  struct Watcher {
    std::string prefix;
    sdk::StoreWatchCallback store_callback;      // one of the two is set
    sdk::ClusterViewCallback cluster_callback;
    std::uint64_t after_seq = 0;                 // sees events with a higher seq
    std::mutex call_mutex;                       // held while its callback runs
    std::atomic<bool> active{true};
  };

  std::uint64_t add(std::shared_ptr<Watcher> watcher);
  void post(Payload payload);
  void run();
  void deliver(const Event& event);
  void invoke(Watcher& watcher, const Payload& payload);

  sdk::Logger& logger_;

  std::mutex queue_mutex_;  // guards queue_, next_seq_, stopping_
  std::condition_variable queue_cv_;
  std::deque<Event> queue_;
  std::uint64_t next_seq_ = 1;
  bool stopping_ = false;

  std::mutex watchers_mutex_;  // guards watchers_, next_handle_
  std::map<std::uint64_t, std::shared_ptr<Watcher>> watchers_;
  std::uint64_t next_handle_ = 1;

  std::thread thread_;
  std::atomic<std::thread::id> thread_id_{};
};

}  // namespace brokkr::raft
