#include "client_error.hpp"

#include "error_codes.hpp"

namespace brokkr::client {

KafkaError::KafkaError(std::int16_t code, const std::string& message)
    : ClientError(message), code_(code) {}

void throw_if_error(std::int16_t code, const std::string& context,
                    const std::string& broker_message) {
  if (code == 0) return;
  auto description = describe_error(code);
  std::string text = broker_message.empty() ? description.message : broker_message;
  if (!context.empty()) text = context + ": " + text;
  throw KafkaError(code, std::string(description.exception) + ": " + text);
}

}  // namespace brokkr::client
