// Kafka-style cluster ids: 16 random bytes in URL-safe base64 without
// padding (22 characters).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace brokkr::raft {

std::string encode_cluster_id(const std::array<std::uint8_t, 16>& bytes);
std::string generate_cluster_id();

}  // namespace brokkr::raft
