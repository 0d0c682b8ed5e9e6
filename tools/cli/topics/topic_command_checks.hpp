// The option rules of Kafka's TopicCommandOptions.checkArgs: exactly one
// action, what each action requires, which options cannot go together.
// Violations throw UsageError with Kafka's message.
#pragma once

#include "common/command_line.hpp"

namespace brokkr::cli::topics {

// Declares every brokkr-topics option on `command_line`.
void declare_topic_options(CommandLine& command_line);

// Returns the action given ("create", "list", "alter", "describe", "delete").
std::string check_topic_arguments(const CommandLine& command_line);

}  // namespace brokkr::cli::topics
