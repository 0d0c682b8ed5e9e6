// Messages in the layout of Kafka's tools-log4j.properties on stderr:
// "[2024-01-31 12:00:00,123] WARN message (logger)".
#pragma once

#include <string>

namespace brokkr::cli {

void log_line(const char* level, const std::string& message, const char* logger);

}  // namespace brokkr::cli
