#include "common/client_options.hpp"

#include "client/client_error.hpp"

namespace brokkr::cli {

void add_connection_options(CommandLine& command_line) {
  command_line.option("bootstrap-server", "String: server(s) to connect to",
                      "REQUIRED: The Kafka-protocol server(s) to connect to, host:port[,host:port].");
  command_line.option("command-config", "String: config file",
                      "Property file containing configs to be passed to the client (e.g. client.id, request.timeout.ms).");
}

client::Properties connection_properties(const CommandLine& command_line, const char* alias) {
  client::Properties properties = config_file_properties(command_line, {"command-config"});
  auto servers = command_line.value("bootstrap-server");
  if (!servers && alias != nullptr) servers = command_line.value(alias);
  if (servers) properties.set("bootstrap.servers", *servers);
  if (!properties.contains("bootstrap.servers")) {
    throw UsageError("Missing required argument \"[bootstrap-server]\"");
  }
  return properties;
}

client::Properties config_file_properties(const CommandLine& command_line,
                                          std::initializer_list<const char*> file_options) {
  client::Properties properties;
  for (const char* option : file_options) {
    if (auto file = command_line.value(option)) properties.merge(client::Properties::load_file(*file));
  }
  return properties;
}

void apply_pairs(client::Properties& properties, const std::vector<std::string>& pairs, PairSyntax syntax) {
  for (const auto& pair : pairs) {
    if (syntax == PairSyntax::kTrimmed) {
      properties.set_pair(pair);
      continue;
    }
    auto eq = pair.find('=');
    if (syntax == PairSyntax::kSingleEquals && (eq == std::string::npos || pair.find('=', eq + 1) != std::string::npos)) {
      throw client::ClientError("Invalid property: " + pair);
    }
    if (eq == std::string::npos) {
      properties.set(pair, "");
    } else {
      properties.set(pair.substr(0, eq), pair.substr(eq + 1));
    }
  }
}

client::Properties layered_properties(const CommandLine& command_line,
                                      std::initializer_list<const char*> file_options, const char* pairs_option,
                                      PairSyntax syntax) {
  client::Properties properties = config_file_properties(command_line, file_options);
  apply_pairs(properties, command_line.values(pairs_option), syntax);
  return properties;
}

void apply_flag(client::Properties& properties, const CommandLine& command_line, const char* flag,
                const char* property, const char* fallback) {
  if (auto given = command_line.value(flag)) {
    properties.set(property, *given);
  } else if (fallback != nullptr) {
    properties.set_default(property, fallback);
  }
}

}  // namespace brokkr::cli
