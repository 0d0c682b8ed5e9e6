// Names and descriptions of Kafka's error codes, as Kafka's clients print them
// (the exception class name and its standard message).
#pragma once

#include <cstdint>
#include <string>

namespace brokkr::client {

struct ErrorDescription {
  const char* exception;  // e.g. "TopicExistsException"
  const char* message;    // e.g. "Topic with this name already exists."
};

ErrorDescription describe_error(std::int16_t code);

// True for errors a client retries after refreshing metadata or waiting
// (leader moves, coordinator loading, timeouts).
bool is_retriable(std::int16_t code);

}  // namespace brokkr::client
