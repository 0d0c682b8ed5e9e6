// brokkr-console-consumer: Kafka's kafka-console-consumer.sh. Reads topics
// and prints their records to standard output.
#include <iostream>

#include "client/client_error.hpp"
#include "common/command_line.hpp"
#include "console_consumer.hpp"
#include "console_consumer_options.hpp"

namespace {

int body(const brokkr::cli::CommandLine& command_line) {
  brokkr::cli::ConsoleConsumerOptions options;
  try {
    options = brokkr::cli::parse_console_consumer_options(command_line);
  } catch (const brokkr::client::ClientError& e) {
    std::cerr << e.what() << "\n";  // e.g. --from-beginning against auto.offset.reset: no usage text
    return 1;
  }
  return brokkr::cli::run_console_consumer(options);
}

}  // namespace

int main(int argc, char** argv) {
  brokkr::cli::CommandLine command_line(
      "brokkr-console-consumer",
      "This tool helps to read data from Kafka topics and outputs it to standard output.");
  brokkr::cli::add_console_consumer_options(command_line);
  return brokkr::cli::run_tool(command_line, argc, argv, "ERROR ", body);
}
