#include "consumer_performance.hpp"

#include <chrono>
#include <iostream>

#include "client/consumer/consumer.hpp"
#include "perf_report.hpp"

namespace brokkr::cli {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int run_consumer_performance(const ConsumerPerfSettings& s) {
  if (!s.hide_header) std::cout << perf_header(s.detailed) << "\n" << std::flush;

  client::Consumer consumer(s.properties);
  consumer.cluster().any_broker();  // an unreachable bootstrap server fails here
  const std::int64_t start_ms = now_ms();

  // Rebalance time: from a revocation (or the start) to the assignment.
  std::int64_t join_start_ms = start_ms;
  std::int64_t join_time_ms = 0;
  std::int64_t join_time_in_round_ms = 0;
  consumer.on_partitions_revoked([&](const auto&) { join_start_ms = now_ms(); });
  consumer.on_partitions_assigned([&](const auto&) {
    const auto elapsed = now_ms() - join_start_ms;
    join_time_ms += elapsed;
    join_time_in_round_ms += elapsed;
  });
  consumer.subscribe(std::vector<std::string>{s.topic});

  std::int64_t messages = 0, bytes = 0, last_messages = 0, last_bytes = 0;
  std::int64_t current_ms = now_ms();
  std::int64_t last_report_ms = current_ms;
  std::int64_t last_consumed_ms = current_ms;
  while (messages < s.messages && current_ms - last_consumed_ms <= s.record_timeout_ms) {
    auto records = consumer.poll(std::chrono::milliseconds(100));
    current_ms = now_ms();
    if (!records.empty()) last_consumed_ms = current_ms;
    for (const auto& record : records) {
      ++messages;
      if (record.key) bytes += static_cast<std::int64_t>(record.key->size());
      if (record.value) bytes += static_cast<std::int64_t>(record.value->size());
      if (current_ms - last_report_ms >= s.reporting_interval_ms) {
        if (s.detailed) {
          std::cout << perf_progress_line({bytes, last_bytes, messages, last_messages, last_report_ms, current_ms,
                                           join_time_in_round_ms},
                                          s.date_format)
                    << "\n" << std::flush;
        }
        join_time_in_round_ms = 0;
        last_report_ms = current_ms;
        last_messages = messages;
        last_bytes = bytes;
      }
    }
  }
  if (messages < s.messages) {
    std::cout << "WARNING: Exiting before consuming the expected number of messages: timeout (" << s.record_timeout_ms
              << " ms) exceeded. You can use the --timeout option to increase the timeout.\n";
  }
  const std::int64_t end_ms = now_ms();
  consumer.close();
  if (!s.detailed) {
    std::cout << perf_summary_line({start_ms, end_ms, bytes, messages, join_time_ms}, s.date_format) << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace brokkr::cli
