// Kafka's getMessage() for what the Admin API throws: a KafkaError's text
// without its "XxxException: " prefix, anything else's what().
#pragma once

#include <exception>
#include <string>

namespace brokkr::client::admin {

std::string kafka_message(const std::exception& error);

}  // namespace brokkr::client::admin
