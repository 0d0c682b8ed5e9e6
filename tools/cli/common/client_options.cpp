#include "common/client_options.hpp"

namespace brokkr::cli {

void add_connection_options(CommandLine& command_line) {
  command_line.option("bootstrap-server", "String: server(s) to connect to",
                      "REQUIRED: The Kafka-protocol server(s) to connect to, host:port[,host:port].");
  command_line.option("command-config", "String: config file",
                      "Property file containing configs to be passed to the client (e.g. client.id, request.timeout.ms).");
}

client::Properties connection_properties(const CommandLine& command_line, const char* alias) {
  client::Properties properties;
  if (auto file = command_line.value("command-config")) properties = client::Properties::load_file(*file);
  auto servers = command_line.value("bootstrap-server");
  if (!servers && alias != nullptr) servers = command_line.value(alias);
  if (servers) properties.set("bootstrap.servers", *servers);
  if (!properties.contains("bootstrap.servers")) {
    throw UsageError("Missing required argument \"[bootstrap-server]\"");
  }
  return properties;
}

}  // namespace brokkr::cli
