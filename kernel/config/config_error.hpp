#pragma once

#include <stdexcept>
#include <string>

namespace brokkr::config {

// One line naming the key, the value and the reason.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace brokkr::config
