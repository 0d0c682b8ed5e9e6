// The consumer benchmark of kafka-consumer-perf-test.sh: joins a group
// subscribed to one topic, consumes --messages records (or stops after
// --timeout ms without records) and reports throughput, with the time spent
// in rebalances counted apart from fetching.
#pragma once

#include <cstdint>
#include <string>

#include "client/properties.hpp"

namespace brokkr::cli {

struct ConsumerPerfSettings {
  client::Properties properties;  // consumer properties, group.id included
  std::string topic;
  std::int64_t messages = 0;
  std::int64_t record_timeout_ms = 10000;
  std::int64_t reporting_interval_ms = 5000;
  bool detailed = false;
  bool hide_header = false;
  std::string date_format = "yyyy-MM-dd HH:mm:ss:SSS";
};

// Prints the report to stdout; returns the exit code.
int run_consumer_performance(const ConsumerPerfSettings& settings);

}  // namespace brokkr::cli
