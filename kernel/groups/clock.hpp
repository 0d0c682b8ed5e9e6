// The coordinator's time: a steady clock for timeouts and the wall clock
// for commit and state timestamps (stored, compared across restarts).
// Tests substitute both.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace brokkr::groups {

struct Clock {
  std::function<std::chrono::steady_clock::time_point()> steady;
  std::function<std::int64_t()> wall_ms;

  static Clock system() {
    return {[] { return std::chrono::steady_clock::now(); },
            [] {
              return std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                  .count();
            }};
  }
};

}  // namespace brokkr::groups
