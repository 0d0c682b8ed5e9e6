// A send that failed before its record was queued (metadata, size, memory):
// thrown inside the producer, handed to the record's callback.
#pragma once

#include "client_error.hpp"
#include "producer/send_result.hpp"

namespace brokkr::client {

class SendFailure : public ClientError {
 public:
  explicit SendFailure(SendError error) : ClientError(error.message), error_(std::move(error)) {}
  SendFailure(std::string exception, std::string message)
      : SendFailure(SendError{-1, std::move(exception), std::move(message)}) {}
  const SendError& error() const { return error_; }

 private:
  SendError error_;
};

}  // namespace brokkr::client
