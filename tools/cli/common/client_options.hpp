// The options every tool shares: where the cluster is and the client
// properties file (--command-config), turned into client Properties; and the
// layering Kafka's tools apply to properties: config file(s), then repeated
// key=value options, then the dedicated flags.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "client/properties.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli {

// Adds --bootstrap-server and --command-config.
void add_connection_options(CommandLine& command_line);

// Properties from --command-config, then bootstrap.servers from
// --bootstrap-server (or `alias`, e.g. --broker-list); UsageError when neither is given.
client::Properties connection_properties(const CommandLine& command_line, const char* alias = nullptr);

// The properties files named by those of `file_options` that are given, read
// in that order, a later file's values winning (--producer.config, then
// --command-config).
client::Properties config_file_properties(const CommandLine& command_line,
                                          std::initializer_list<const char*> file_options);

// How a tool reads its repeated key=value words.
enum class PairSyntax {
  kTrimmed,       // Properties::set_pair: '=' required, key and value trimmed (ClientError otherwise)
  kMissingValue,  // Kafka's parseKeyValueArgs: split at the first '='; without one the value is ""
  kSingleEquals,  // exactly one '=' (ProducerPerformance); ClientError "Invalid property: <pair>" otherwise
};

void apply_pairs(client::Properties& properties, const std::vector<std::string>& pairs, PairSyntax syntax);

// config_file_properties(file_options), then the values of `pairs_option` on top.
client::Properties layered_properties(const CommandLine& command_line,
                                      std::initializer_list<const char*> file_options, const char* pairs_option,
                                      PairSyntax syntax);

// A flag that stands for one property: its value when given (it overrides
// the property), else `fallback`, when not null, only if the property is unset.
void apply_flag(client::Properties& properties, const CommandLine& command_line, const char* flag,
                const char* property, const char* fallback = nullptr);

}  // namespace brokkr::cli
