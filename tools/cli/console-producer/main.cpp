// brokkr-console-producer: Kafka's kafka-console-producer.sh. Reads lines
// from standard input and produces one record per line.
#include <unistd.h>

#include "common/command_line.hpp"
#include "console-producer/produce_lines.hpp"
#include "console-producer/producer_properties.hpp"

namespace {

int console_producer(const brokkr::cli::CommandLine& c) {
  auto topic = c.required("topic");
  auto line_reader = c.value("line-reader");
  if (line_reader && *line_reader != "kafka.tools.LineMessageReader" &&
      *line_reader != "org.apache.kafka.tools.LineMessageReader") {
    throw brokkr::cli::UsageError("Only the default line reader is available; --line-reader " + *line_reader +
                                  " is not supported");
  }
  auto producer_properties = brokkr::cli::console_producer_properties(c);
  auto reader_properties = brokkr::cli::console_reader_properties(c);
  return brokkr::cli::produce_lines(topic, producer_properties, reader_properties, c.has("sync"));
}

}  // namespace

int main(int argc, char** argv) {
  brokkr::cli::CommandLine command_line(
      "brokkr-console-producer",
      "This tool helps to read data from standard input and publish it to Kafka.");
  brokkr::cli::add_console_producer_options(command_line);
  return brokkr::cli::run_tool(command_line, argc, argv, "ERROR ", console_producer);
}
