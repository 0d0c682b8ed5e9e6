// The console consumer's command line turned into what it runs with, with
// Kafka's ConsoleConsumerOptions rules: exactly one of --topic/--include,
// --partition only with --topic and without a group, --offset only with
// --partition, auto.offset.reset from --from-beginning, a generated group
// (console-consumer-<n>, no auto-commit) when none is given.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "client/properties.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli {

struct ConsoleConsumerOptions {
  std::optional<std::string> topic;
  std::optional<std::string> include;  // a regex of topics
  std::optional<std::int32_t> partition;
  std::int64_t offset = -1;            // -1 latest, -2 earliest (ListOffsets' values), else an offset
  std::int64_t max_messages = -1;      // -1: no limit
  std::int64_t timeout_ms = -1;        // -1: none
  bool skip_message_on_error = false;
  client::Properties consumer_properties;
  std::map<std::string, std::string> formatter_properties;
};

// Declares every option of kafka-console-consumer.sh (plus --command-config).
void add_console_consumer_options(CommandLine& command_line);

// Throws UsageError with Kafka's messages for invalid combinations.
ConsoleConsumerOptions parse_console_consumer_options(const CommandLine& command_line);

}  // namespace brokkr::cli
