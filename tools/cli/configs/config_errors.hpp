// Kafka's ConfigCommand prints IllegalArgumentException and
// InvalidConfigurationException as their message alone; ArgumentError is
// those. Anything else is "Error while executing config command with args".
#pragma once

#include <stdexcept>

namespace brokkr::cli::configs {

class ArgumentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace brokkr::cli::configs
