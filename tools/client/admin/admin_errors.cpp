#include "admin/admin_errors.hpp"

#include "client_error.hpp"
#include "error_codes.hpp"

namespace brokkr::client::admin {

std::string kafka_message(const std::exception& error) {
  std::string text = error.what();
  if (const auto* kafka = dynamic_cast<const KafkaError*>(&error)) {
    std::string prefix = std::string(describe_error(kafka->code()).exception) + ": ";
    if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  }
  return text;
}

}  // namespace brokkr::client::admin
