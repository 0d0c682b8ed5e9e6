// How cluster metadata is laid out in the coordination store, and the
// binary encoding of its values (versioned, so records can grow).
//
//   /topics/<name>   one TopicMetadata record per topic
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cluster/topic_metadata.hpp"

namespace brokkr::cluster {

inline constexpr std::string_view kTopicsPrefix = "/topics/";

std::string topic_key(const std::string& topic);
// The topic name of a /topics/<name> key, or nullopt for any other key.
std::optional<std::string> topic_from_key(std::string_view key);

std::string encode_topic(const TopicMetadata& topic);
// Throws protocol::DecodeError on a damaged or unknown-version record.
TopicMetadata decode_topic(std::string_view data);

}  // namespace brokkr::cluster
