// brokkr-producer-perf-test: Kafka's kafka-producer-perf-test.sh
// (ProducerPerformance): produces records at a target rate and reports
// throughput and send-to-acknowledgement latency in Kafka's format.
#include "common/command_line.hpp"
#include "producer-perf-test/perf_options.hpp"
#include "producer-perf-test/run_perf_test.hpp"

namespace {

int producer_perf_test(const brokkr::cli::CommandLine& c) {
  return brokkr::cli::run_perf_test(brokkr::cli::perf_options(c));
}

}  // namespace

int main(int argc, char** argv) {
  brokkr::cli::CommandLine command_line(
      "brokkr-producer-perf-test",
      "This tool is used to verify the producer performance. Transactions are not supported yet.");
  brokkr::cli::add_perf_options(command_line);
  return brokkr::cli::run_tool(command_line, argc, argv, "ERROR ", producer_perf_test);
}
