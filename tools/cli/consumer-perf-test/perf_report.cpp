#include "perf_report.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace brokkr::cli {
namespace {

std::string padded(long value, std::size_t width) {
  auto text = std::to_string(value);
  if (text.size() < width) text.insert(0, width - text.size(), '0');
  return text;
}

const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                         "August", "September", "October", "November", "December"};
const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string field(char letter, std::size_t count, const std::tm& t, int millis) {
  switch (letter) {
    case 'y': return count == 2 ? padded((t.tm_year + 1900) % 100, 2) : padded(t.tm_year + 1900, count);
    case 'M':
      if (count >= 4) return kMonths[t.tm_mon];
      if (count == 3) return std::string(kMonths[t.tm_mon]).substr(0, 3);
      return padded(t.tm_mon + 1, count);
    case 'd': return padded(t.tm_mday, count);
    case 'H': return padded(t.tm_hour, count);
    case 'h': return padded(t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12, count);
    case 'm': return padded(t.tm_min, count);
    case 's': return padded(t.tm_sec, count);
    case 'S': return padded(millis, count);
    case 'a': return t.tm_hour < 12 ? "AM" : "PM";
    case 'E': return count >= 4 ? kDays[t.tm_wday] : std::string(kDays[t.tm_wday]).substr(0, 3);
    case 'z': return t.tm_zone ? t.tm_zone : "";
    case 'Z': {
      long off = t.tm_gmtoff / 60;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%c%02ld%02ld", off < 0 ? '-' : '+', std::labs(off) / 60, std::labs(off) % 60);
      return buf;
    }
    default: return std::string(count, letter);
  }
}

}  // namespace

std::string format_date(const std::string& pattern, std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  const int millis = static_cast<int>(epoch_ms % 1000);
  std::tm t{};
  localtime_r(&seconds, &t);
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {  // quoted literal; '' is a quote
      std::size_t end = pattern.find('\'', i + 1);
      if (end == i + 1) {
        out += '\'';
        i += 2;
        continue;
      }
      if (end == std::string::npos) end = pattern.size();
      out += pattern.substr(i + 1, end - i - 1);
      i = end + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      std::size_t count = 1;
      while (i + count < pattern.size() && pattern[i + count] == c) ++count;
      out += field(c, count, t, millis);
      i += count;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string java_fixed4(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", value);
  return buf;
}

std::string perf_header(bool detailed) {
  const std::string extra = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
  return (detailed ? "time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec"
                   : "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec") +
         extra;
}

std::string perf_summary_line(const PerfTotals& t, const std::string& date_pattern) {
  const double elapsed_sec = static_cast<double>(t.end_ms - t.start_ms) / 1000.0;
  const std::int64_t fetch_time_ms = (t.end_ms - t.start_ms) - t.join_time_ms;
  const double mb = static_cast<double>(t.bytes) / (1024 * 1024);
  const double messages = static_cast<double>(t.messages);
  return format_date(date_pattern, t.start_ms) + ", " + format_date(date_pattern, t.end_ms) + ", " +
         java_fixed4(mb) + ", " + java_fixed4(mb / elapsed_sec) + ", " + std::to_string(t.messages) + ", " +
         java_fixed4(messages / elapsed_sec) + ", " + std::to_string(t.join_time_ms) + ", " +
         std::to_string(fetch_time_ms) + ", " + java_fixed4(mb / (fetch_time_ms / 1000.0)) + ", " +
         java_fixed4(messages / (fetch_time_ms / 1000.0));
}

std::string perf_progress_line(const PerfInterval& i, const std::string& date_pattern) {
  const double elapsed_ms = static_cast<double>(i.end_ms - i.start_ms);
  const double total_mb = static_cast<double>(i.bytes) / (1024 * 1024);
  const double interval_mb = static_cast<double>(i.bytes - i.last_bytes) / (1024 * 1024);
  const double interval_messages = static_cast<double>(i.messages - i.last_messages);
  const std::int64_t fetch_ms = i.end_ms - i.start_ms - i.join_time_ms;
  return format_date(date_pattern, i.end_ms) + ", 0, " + java_fixed4(total_mb) + ", " +
         java_fixed4(1000.0 * interval_mb / elapsed_ms) + ", " + std::to_string(i.messages) + ", " +
         java_fixed4(interval_messages / elapsed_ms * 1000.0) + ", " + std::to_string(i.join_time_ms) + ", " +
         std::to_string(fetch_ms) + ", " + java_fixed4(fetch_ms <= 0 ? 0.0 : 1000.0 * interval_mb / fetch_ms) + ", " +
         java_fixed4(fetch_ms <= 0 ? 0.0 : 1000.0 * interval_messages / fetch_ms);
}

}  // namespace brokkr::cli
