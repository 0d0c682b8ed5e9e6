// The time arguments of --reset-offsets, parsed as Kafka parses them.
#pragma once

#include <cstdint>
#include <string>

namespace brokkr::cli::groups {

// --to-datetime "YYYY-MM-DDTHH:mm:SS.sss[zone]" (zone Z, +hh, +hhmm, +hh:mm;
// UTC when absent) -> milliseconds since the epoch. Throws ClientError
// "Unparseable date: ..." as Java's SimpleDateFormat does.
std::int64_t parse_datetime(const std::string& text);

// --by-duration, an ISO-8601 duration as java.time.Duration.parse takes it
// ("PnDTnHnMn.nS", signs allowed) -> milliseconds. Throws ClientError.
std::int64_t parse_duration_ms(const std::string& text);

}  // namespace brokkr::cli::groups
