// A partition of a topic: the key of offsets, assignments and fetch positions.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace brokkr::client {

struct TopicPartition {
  std::string topic;
  std::int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
  std::string to_string() const { return topic + "-" + std::to_string(partition); }
};

}  // namespace brokkr::client
