// Routes each request frame to its API handler: reads the request header,
// checks the API and version, and turns protocol errors into the outcome
// Kafka clients expect (closing the connection for malformed requests).
#pragma once

#include "handlers/handler_registry.hpp"
#include "net/request_sink.hpp"

namespace brokkr::handlers {

class RequestDispatcher final : public net::RequestSink {
 public:
  explicit RequestDispatcher(const HandlerRegistry& registry) : registry_(registry) {}

  void on_request(std::vector<std::uint8_t> frame, const net::ConnectionInfo& connection,
                  net::OutcomeCallback done) override;

 private:
  const HandlerRegistry& registry_;
};

}  // namespace brokkr::handlers
