// SASL mechanisms (PLAIN, SCRAM-SHA-256/512, ...). The kernel carries the
// SaslHandshake/SaslAuthenticate exchange; a mechanism plugin judges the
// tokens and names the authenticated principal.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::sdk {

struct ConnectionInfo {
  std::string listener_name;
  std::string peer_host;
  std::int32_t peer_port = 0;
  bool tls = false;
};

struct SaslStep {
  enum class Status { challenge, success, failure } status = Status::failure;
  std::vector<std::uint8_t> server_token;  // sent back to the client
  std::string principal;                   // on success, e.g. "User:alice"
  std::string error_message;               // on failure, safe to show the client
};

class SaslSession {
 public:
  virtual ~SaslSession() = default;
  virtual SaslStep step(std::span<const std::uint8_t> client_token) = 0;
};

class SaslMechanism {
 public:
  virtual ~SaslMechanism() = default;
  virtual std::string mechanism_name() const = 0;  // as in SaslHandshake
  virtual std::unique_ptr<SaslSession> new_session(const ConnectionInfo& connection) = 0;
};

}  // namespace brokkr::sdk
