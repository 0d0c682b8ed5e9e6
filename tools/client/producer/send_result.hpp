// What a send's callback gets: where the record landed, or why it did not.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace brokkr::client {

struct RecordMetadata {
  std::string_view topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;     // -1 with acks=0: the broker does not say
  std::int64_t timestamp = -1;  // the record's, or the broker's log append time
};

struct SendError {
  std::int16_t code = -1;  // Kafka error code, -1 when not from a broker
  std::string exception;   // Kafka's exception name, e.g. "TimeoutException"
  std::string message;
  std::string to_string() const { return exception + ": " + message; }
};

// Called once per record, on the producer's I/O thread (or in send() for
// errors found before the record is queued). `error` is null on success.
using SendCallback = std::function<void(const RecordMetadata&, const SendError* error)>;

}  // namespace brokkr::client
