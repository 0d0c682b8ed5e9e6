// Brokkr Kafka protocol: error thrown when wire bytes cannot be decoded.
#pragma once

#include <stdexcept>
#include <string>

namespace brokkr::protocol {

// Thrown by WireReader and by every generated decode() when the input is
// truncated, carries an impossible length, a bad varint, a null where the
// schema does not allow one, or an unsupported version.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace brokkr::protocol
