#include "producer-perf-test/throughput_throttler.hpp"

#include <limits>
#include <thread>

namespace brokkr::cli {
namespace {
constexpr std::int64_t kNsPerSec = 1'000'000'000;
constexpr std::int64_t kMinSleepNs = 2'000'000;
}  // namespace

ThroughputThrottler::ThroughputThrottler(double target)
    : target_(target), start_(std::chrono::steady_clock::now()),
      sleep_time_ns_(target > 0 ? static_cast<std::int64_t>(kNsPerSec / target)
                                : std::numeric_limits<std::int64_t>::max()) {}

bool ThroughputThrottler::should_throttle(std::int64_t amount_so_far) const {
  if (target_ < 0) return false;
  const double elapsed_sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return elapsed_sec > 0 && static_cast<double>(amount_so_far) / elapsed_sec > target_;
}

void ThroughputThrottler::throttle() {
  if (target_ == 0) {
    // Kafka's tool blocks for good at a target of 0.
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  sleep_deficit_ns_ += sleep_time_ns_;
  if (sleep_deficit_ns_ >= kMinSleepNs) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(sleep_deficit_ns_));
    sleep_deficit_ns_ = 0;
  }
}

}  // namespace brokkr::cli
