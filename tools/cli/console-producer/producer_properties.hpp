// The console producer's options turned into producer and reader
// properties, as Kafka's ConsoleProducerOptions does: the config file, then
// --producer-property, then each dedicated flag (its default only when the
// property is not set otherwise).
#pragma once

#include <map>
#include <string>

#include "client/properties.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli {

void add_console_producer_options(CommandLine& command_line);

client::Properties console_producer_properties(const CommandLine& command_line);

// --reader-config, then --property pairs (the LineReader's settings).
std::map<std::string, std::string> console_reader_properties(const CommandLine& command_line);

}  // namespace brokkr::cli
