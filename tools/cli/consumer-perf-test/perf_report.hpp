// The lines kafka-consumer-perf-test.sh prints: the header, the final
// summary and the --show-detailed-stats progress lines, with Java's number
// formatting (%.4f prints NaN and Infinity as Java does) and a
// java.text.SimpleDateFormat-style date pattern.
#pragma once

#include <cstdint>
#include <string>

namespace brokkr::cli {

// Formats epoch milliseconds in local time with a SimpleDateFormat pattern
// (letters y M d H h m s S a E z Z; quoted text; others copied).
std::string format_date(const std::string& pattern, std::int64_t epoch_ms);

// Java's String.format("%.4f", value).
std::string java_fixed4(double value);

std::string perf_header(bool detailed);

struct PerfTotals {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t bytes = 0;
  std::int64_t messages = 0;
  std::int64_t join_time_ms = 0;
};
std::string perf_summary_line(const PerfTotals& totals, const std::string& date_pattern);

struct PerfInterval {
  std::int64_t bytes = 0, last_bytes = 0;
  std::int64_t messages = 0, last_messages = 0;
  std::int64_t start_ms = 0, end_ms = 0;
  std::int64_t join_time_ms = 0;
};
std::string perf_progress_line(const PerfInterval& interval, const std::string& date_pattern);

}  // namespace brokkr::cli
