// brokkr-consumer-perf-test: Kafka's kafka-consumer-perf-test.sh.
#include <iostream>
#include <random>

#include "common/client_options.hpp"
#include "common/command_line.hpp"
#include "consumer_performance.hpp"

namespace {

int body(const brokkr::cli::CommandLine& c) {
  using brokkr::cli::UsageError;
  brokkr::cli::ConsumerPerfSettings s;
  s.topic = c.required("topic");
  s.messages = c.int_value("messages", 0);
  c.required("messages");
  if (!c.has("bootstrap-server")) throw UsageError("Missing required argument \"[bootstrap-server]\"");
  s.record_timeout_ms = c.int_value("timeout", 10000);
  s.reporting_interval_ms = c.int_value("reporting-interval", 5000);
  if (s.reporting_interval_ms <= 0) {
    std::cerr << "Reporting interval must be greater than 0.\n";
    return 1;
  }
  s.detailed = c.has("show-detailed-stats");
  s.hide_header = c.has("hide-header");
  if (auto format = c.value("date-format")) s.date_format = *format;
  if (c.has("print-metrics")) std::cerr << "WARNING: --print-metrics is not available in brokkr-consumer-perf-test; no metrics are printed.\n";

  auto& props = s.properties;
  if (auto file = c.value("consumer.config")) props = brokkr::client::Properties::load_file(*file);
  if (auto file = c.value("command-config")) props.merge(brokkr::client::Properties::load_file(*file));
  props.set("bootstrap.servers", *c.value("bootstrap-server"));
  std::random_device random;
  props.set("group.id", c.value("group").value_or(
                            "perf-consumer-" + std::to_string(std::uniform_int_distribution<int>(0, 99999)(random))));
  props.set("max.partition.fetch.bytes", std::to_string(c.int_value("fetch-size", 1024 * 1024)));
  props.set("auto.offset.reset", c.has("from-latest") ? "latest" : "earliest");
  props.set_default("client.id", "perf-consumer-client");
  return brokkr::cli::run_consumer_performance(s);
}

}  // namespace

int main(int argc, char** argv) {
  brokkr::cli::CommandLine c("brokkr-consumer-perf-test", "This tool is used to verify the consumer performance.");
  brokkr::cli::add_connection_options(c);
  c.option("topic", "topic", "REQUIRED: The topic to consume from.");
  c.option("group", "gid", "The group id to consume on. (default: perf-consumer-<random>)");
  c.option("fetch-size", "size", "The amount of data to fetch in a single request. (default: 1048576)");
  c.flag("from-latest",
         "If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.");
  c.option("socket-buffer-size", "size", "The size of the tcp RECV size. Accepted for compatibility (default: 2097152)");
  c.option("consumer.config", "config file", "Consumer config properties file.");
  c.flag("print-metrics", "Print out the metrics. Not available in Brokkr: prints a note instead.");
  c.flag("show-detailed-stats", "If set, stats are reported for each reporting interval as configured by reporting-interval");
  c.option("timeout", "milliseconds", "The maximum allowed time in milliseconds between returned records. (default: 10000)");
  c.option("messages", "count", "REQUIRED: The number of messages to send or consume");
  c.option("reporting-interval", "interval_ms", "Interval in milliseconds at which to print progress info. (default: 5000)");
  c.option("date-format", "date format",
           "The date format to use for formatting the time field. See java.text.SimpleDateFormat for options. (default: yyyy-MM-dd HH:mm:ss:SSS)");
  c.flag("hide-header", "If set, skips printing the header for the stats");
  return brokkr::cli::run_tool(c, argc, argv, "", body);
}
