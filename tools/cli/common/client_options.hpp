// The options every tool shares: where the cluster is and the client
// properties file (--command-config), turned into client Properties.
#pragma once

#include "client/properties.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli {

// Adds --bootstrap-server and --command-config.
void add_connection_options(CommandLine& command_line);

// Properties from --command-config, then bootstrap.servers from
// --bootstrap-server (or `alias`, e.g. --broker-list); UsageError when neither is given.
client::Properties connection_properties(const CommandLine& command_line, const char* alias = nullptr);

}  // namespace brokkr::cli
