// Kafka's ProducerPerformance.Stats: counts acknowledged records, prints a
// progress line every reporting interval and the summary with latency
// percentiles (from up to 500,000 sampled latencies), in Kafka's formats.
// Used from the producer's I/O thread only (callbacks), then printTotal()
// after the producer is closed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

namespace brokkr::cli {

std::int64_t current_time_ms();

class PerfStats {
 public:
  PerfStats(std::int64_t num_records, std::int64_t reporting_interval_ms, std::FILE* out = stdout);
  void record(std::int32_t latency_ms, std::int32_t bytes, std::int64_t now_ms);
  void next_iteration() { ++iteration_; }
  void print_window() const;
  void print_total() const;
  std::int64_t start_ms() const { return start_; }

 private:
  void new_window();

  std::FILE* out_;
  std::int64_t start_;
  std::int64_t window_start_;
  std::int64_t sampling_;
  std::int64_t reporting_interval_;
  mutable std::vector<std::int32_t> latencies_;
  std::int64_t iteration_ = 0;
  std::size_t index_ = 0;
  std::int64_t count_ = 0;
  std::int64_t bytes_ = 0;
  std::int32_t max_latency_ = 0;
  std::int64_t total_latency_ = 0;
  std::int64_t window_count_ = 0;
  std::int32_t window_max_latency_ = 0;
  std::int64_t window_total_latency_ = 0;
  std::int64_t window_bytes_ = 0;
};

}  // namespace brokkr::cli
