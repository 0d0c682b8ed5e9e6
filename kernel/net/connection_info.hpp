#pragma once

#include <cstdint>
#include <string>

namespace brokkr::net {

// Who is on the other end of a connection, and which listener accepted it.
struct ConnectionInfo {
  std::uint64_t id = 0;
  std::string listener_name;
  std::string security_protocol;
  std::string peer_host;
  std::uint16_t peer_port = 0;
  std::string describe() const { return peer_host + ":" + std::to_string(peer_port); }
};

}  // namespace brokkr::net
