// Which __consumer_offsets partition holds a group: Kafka's
// Utils.abs(groupId.hashCode()) % partitions, computed exactly as the JVM
// does so Kafka's tools, and Kafka brokers sharing the log, agree with us.
#pragma once

#include <cstdint>
#include <string_view>

namespace brokkr::groups {

// Java's String.hashCode() of the string Kafka decodes from these UTF-8
// bytes: 31*h + c over its UTF-16 code units (a character outside the BMP is
// two surrogates), malformed bytes read as U+FFFD the way Java's decoder
// replaces them.
std::int32_t java_string_hash(std::string_view utf8);

// Kafka's Utils.abs (Integer.MIN_VALUE maps to 0) of the hash, modulo
// `partitions` (> 0).
std::int32_t offsets_partition_for(std::string_view group_id, std::int32_t partitions);

}  // namespace brokkr::groups
