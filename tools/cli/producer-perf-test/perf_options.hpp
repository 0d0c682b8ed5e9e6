// kafka-producer-perf-test's options (ProducerPerformance's argParser and
// ConfigPostProcessor), checked the way it checks them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "client/properties.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli {

struct PerfOptions {
  std::string topic;
  std::int64_t num_records = 0;
  std::optional<std::int32_t> record_size;
  std::optional<std::string> payload_file;
  std::string payload_delimiter = "\n";
  bool payload_monotonic = false;
  double throughput = -1;
  bool print_metrics = false;
  client::Properties producer_properties;
};

void add_perf_options(CommandLine& command_line);

// Throws UsageError for what Kafka's tool rejects as bad arguments, and
// ClientError for transactions, which this client does not support yet.
PerfOptions perf_options(const CommandLine& command_line);

}  // namespace brokkr::cli
