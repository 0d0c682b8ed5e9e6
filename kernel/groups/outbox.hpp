// Work the coordinator decides on under a group's lock but must do after
// releasing it: answering JoinGroup/SyncGroup callbacks and writing to the
// GroupLog (whose completion may run at once, on this thread, and lock the
// group again). Declare the Outbox before the lock guard: it runs its
// actions when it goes out of scope, after the guard has unlocked.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "logging/logging.hpp"

namespace brokkr::groups {

class Outbox {
 public:
  Outbox() = default;
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;
  ~Outbox() { run(); }

  void add(std::function<void()> action) { actions_.push_back(std::move(action)); }
  template <typename Callback, typename Result>
  void answer(Callback callback, Result result) {
    if (!callback) return;
    actions_.push_back([callback = std::move(callback), result = std::move(result)]() mutable {
      callback(std::move(result));
    });
  }

  // Runs the actions in order (actions may queue more); a throwing action is logged.
  void run() {
    for (std::size_t i = 0; i < actions_.size(); ++i) {
      auto action = std::move(actions_[i]);
      try {
        action();
      } catch (const std::exception& e) {
        logging::get("groups")->error("group coordinator action failed: {}", e.what());
      }
    }
    actions_.clear();
  }

 private:
  std::vector<std::function<void()>> actions_;
};

}  // namespace brokkr::groups
