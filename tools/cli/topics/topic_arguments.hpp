// Values of brokkr-topics options parsed as Kafka's TopicCommand does:
// --config name=value (repeatable) and --replica-assignment "1:2,2:3".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace brokkr::cli::topics {

// Each "key=value" split around '=' (spaces around it ignored); anything
// else is Kafka's "requirement failed: Invalid topic config: ..." error.
std::vector<std::pair<std::string, std::string>> parse_topic_configs(const std::vector<std::string>& values);

// "b1:b2,b3:b4" -> {0: [b1, b2], 1: [b3, b4]}; rejects duplicates within a
// partition and partitions with different replica counts, as Kafka does.
std::map<std::int32_t, std::vector<std::int32_t>> parse_replica_assignment(const std::string& text);

}  // namespace brokkr::cli::topics
