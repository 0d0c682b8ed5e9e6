// Kafka's ThroughputThrottler: keeps a sender near a target rate by
// sleeping, on average, 1/rate between sends, in naps of at least 2 ms.
// One difference: elapsed time is measured on a monotonic clock in
// nanoseconds, not in milliseconds. With whole milliseconds nothing is
// throttled while less than 1 ms has passed, and a fast client sends
// thousands of records in that first millisecond, which the throttle never
// makes up for (it slows what follows to the target, it does not catch up).
#pragma once

#include <chrono>
#include <cstdint>

namespace brokkr::cli {

class ThroughputThrottler {
 public:
  // `target` per second (< 0: no throttling), counted from now.
  explicit ThroughputThrottler(double target);
  bool should_throttle(std::int64_t amount_so_far) const;
  void throttle();

 private:
  double target_;
  std::chrono::steady_clock::time_point start_;
  std::int64_t sleep_time_ns_;
  std::int64_t sleep_deficit_ns_ = 0;
};

}  // namespace brokkr::cli
