// Wall-clock milliseconds since the epoch (record timestamps' clock).
#pragma once

#include <chrono>
#include <cstdint>

namespace brokkr::segment {

inline std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace brokkr::segment
