// Errors the client library throws. ClientError carries one line meant for a
// user ("Connection to node -1 (localhost/127.0.0.1:9092) could not be
// established."); KafkaError adds the Kafka error code a broker answered.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace brokkr::client {

class ClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request could not get an answer: connect failure, timeout, closed socket.
class NetworkError : public ClientError {
 public:
  using ClientError::ClientError;
};

class KafkaError : public ClientError {
 public:
  KafkaError(std::int16_t code, const std::string& message);
  std::int16_t code() const { return code_; }

 private:
  std::int16_t code_;
};

// Throws KafkaError for a non-zero code; `context` names what failed
// ("topic 'orders'"), `broker_message` is the response's error message if any.
void throw_if_error(std::int16_t code, const std::string& context,
                    const std::string& broker_message = {});

}  // namespace brokkr::client
