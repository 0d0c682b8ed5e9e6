#include "groups/member_id.hpp"

#include <cstdio>

#include "protocol/uuid.hpp"

namespace brokkr::groups {

std::string make_member_id(const std::string& prefix) {
  auto uuid = protocol::Uuid::random();
  // The canonical 8-4-4-4-12 hex form Java's UUID.toString() prints.
  char text[37];
  const auto& b = uuid.bytes;
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return prefix + "-" + text;
}

}  // namespace brokkr::groups
