#include "time_arguments.hpp"

#include <ctime>
#include <regex>

#include "client/client_error.hpp"

namespace brokkr::cli::groups {

std::int64_t parse_datetime(const std::string& text) {
  static const std::regex pattern(
      R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}(?::?\d{2})?)?)");
  std::smatch m;
  auto fail = [&]() -> std::int64_t {
    if (text.find('T') == std::string::npos) {
      throw client::ClientError("java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
    }
    throw client::ClientError("java.text.ParseException: Unparseable date: \"" + text + "\"");
  };
  if (!std::regex_match(text, m, pattern)) return fail();
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  std::tm check = tm;
  std::int64_t seconds = timegm(&tm);
  // Strict, as Kafka's non-lenient parser: no 2024-02-30 or 25:00.
  if (tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon || tm.tm_hour != check.tm_hour ||
      tm.tm_min != check.tm_min || tm.tm_sec != check.tm_sec) {
    return fail();
  }
  std::int64_t offset_seconds = 0;
  std::string zone = m[8];
  if (!zone.empty() && zone != "Z") {
    std::string digits;
    for (char c : zone.substr(1)) {
      if (c != ':') digits += c;
    }
    int hours = std::stoi(digits.substr(0, 2));
    int minutes = digits.size() > 2 ? std::stoi(digits.substr(2)) : 0;
    if (hours > 23 || minutes > 59) return fail();
    offset_seconds = (hours * 3600 + minutes * 60) * (zone[0] == '-' ? -1 : 1);
  }
  return (seconds - offset_seconds) * 1000 + std::stoi(m[7]);
}

std::int64_t parse_duration_ms(const std::string& text) {
  static const std::regex pattern(
      R"(([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?)",
      std::regex::icase);
  std::smatch m;
  // "P" alone, or a "T" with nothing after it, is no duration.
  if (!std::regex_match(text, m, pattern) || (!m[2].matched && !m[3].matched) ||
      (m[3].matched && !m[4].matched && !m[5].matched && !m[6].matched)) {
    throw client::ClientError("java.time.format.DateTimeParseException: Text cannot be parsed to a Duration");
  }
  auto number = [](const std::ssub_match& part) -> std::int64_t { return part.matched ? std::stoll(part.str()) : 0; };
  std::int64_t ms = number(m[2]) * 86400000 + number(m[4]) * 3600000 + number(m[5]) * 60000;
  std::int64_t seconds = number(m[6]);
  std::int64_t fraction_ms = 0;
  if (m[7].matched) {
    std::string digits = (m[7].str() + "000").substr(0, 3);
    fraction_ms = std::stoll(digits);
    if (!m[6].str().empty() && m[6].str()[0] == '-') fraction_ms = -fraction_ms;
  }
  ms += seconds * 1000 + fraction_ms;
  return m[1].str() == "-" ? -ms : ms;
}

}  // namespace brokkr::cli::groups
