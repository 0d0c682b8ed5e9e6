#pragma once

#include <optional>
#include <string>

namespace brokkr::cluster {

// Kafka's rule: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
// Returns the reason a name is invalid, or nullopt when it is valid.
std::optional<std::string> invalid_topic_name_reason(const std::string& name);

}  // namespace brokkr::cluster
