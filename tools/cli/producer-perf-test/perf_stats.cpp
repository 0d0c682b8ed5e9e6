#include "producer-perf-test/perf_stats.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

namespace brokkr::cli {
namespace {

// Java's String.format("%.Nf"): "Infinity" and "NaN" where C prints "inf"/"nan"
// (a run shorter than a millisecond, a window without records).
std::string fixed(double value, int precision) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", precision, value);
  return text;
}

}  // namespace

std::int64_t current_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PerfStats::PerfStats(std::int64_t num_records, std::int64_t reporting_interval_ms, std::FILE* out)
    : out_(out), start_(current_time_ms()), window_start_(start_),
      sampling_(num_records / std::min<std::int64_t>(num_records, 500000)),
      reporting_interval_(reporting_interval_ms),
      latencies_(static_cast<std::size_t>(num_records / sampling_ + 1), 0) {}

void PerfStats::record(std::int32_t latency, std::int32_t bytes, std::int64_t now) {
  ++count_;
  bytes_ += bytes;
  total_latency_ += latency;
  max_latency_ = std::max(max_latency_, latency);
  ++window_count_;
  window_bytes_ += bytes;
  window_total_latency_ += latency;
  window_max_latency_ = std::max(window_max_latency_, latency);
  if (iteration_ % sampling_ == 0 && index_ < latencies_.size()) latencies_[index_++] = latency;
  if (now - window_start_ >= reporting_interval_) {
    print_window();
    new_window();
  }
}

void PerfStats::print_window() const {
  const auto elapsed = static_cast<double>(current_time_ms() - window_start_);
  const double records_per_sec = 1000.0 * static_cast<double>(window_count_) / elapsed;
  const double mb_per_sec = 1000.0 * static_cast<double>(window_bytes_) / elapsed / (1024.0 * 1024.0);
  std::fprintf(out_, "%lld records sent, %s records/sec (%s MB/sec), %s ms avg latency, %s ms max latency.\n",
               static_cast<long long>(window_count_), fixed(records_per_sec, 1).c_str(), fixed(mb_per_sec, 2).c_str(),
               fixed(static_cast<double>(window_total_latency_) / static_cast<double>(window_count_), 1).c_str(),
               fixed(static_cast<double>(window_max_latency_), 1).c_str());
  std::fflush(out_);
}

void PerfStats::new_window() {
  window_start_ = current_time_ms();
  window_count_ = 0;
  window_max_latency_ = 0;
  window_total_latency_ = 0;
  window_bytes_ = 0;
}

void PerfStats::print_total() const {
  const auto elapsed = static_cast<double>(current_time_ms() - start_);
  const double records_per_sec = 1000.0 * static_cast<double>(count_) / elapsed;
  const double mb_per_sec = 1000.0 * static_cast<double>(bytes_) / elapsed / (1024.0 * 1024.0);
  const std::size_t size = std::min(index_, latencies_.size());
  std::sort(latencies_.begin(), latencies_.begin() + static_cast<std::ptrdiff_t>(size));
  auto percentile = [&](double p) {
    auto i = static_cast<std::size_t>(p * static_cast<double>(size));
    return i < latencies_.size() ? latencies_[i] : 0;
  };
  std::fprintf(out_,
               "%lld records sent, %s records/sec (%s MB/sec), %s ms avg latency, %s ms max latency, "
               "%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.\n",
               static_cast<long long>(count_), fixed(records_per_sec, 1).c_str(), fixed(mb_per_sec, 2).c_str(),
               fixed(static_cast<double>(total_latency_) / static_cast<double>(count_), 2).c_str(),
               fixed(static_cast<double>(max_latency_), 2).c_str(), percentile(0.5), percentile(0.95), percentile(0.99), percentile(0.999));
  std::fflush(out_);
}

}  // namespace brokkr::cli
