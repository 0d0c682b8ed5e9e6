// One handler per Kafka API. The dispatcher decodes the request header and
// picks the handler by API key; the handler decodes the body and answers
// through its ResponseWriter, now or later (delayed operations), exactly once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "net/connection_info.hpp"
#include "net/request_sink.hpp"
#include "protocol/generated/request_header.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::handlers {

struct RequestContext {
  const protocol::RequestHeader& header;
  std::int16_t api_version;
  const net::ConnectionInfo& connection;
};

// Starts a response frame: size placeholder plus response header.
protocol::WireWriter begin_response_frame(std::int32_t correlation_id, std::int16_t header_version);
// Fills in the size prefix and hands back the frame (bytes plus file slices).
net::RequestOutcome finish_response_frame(protocol::WireWriter& writer);

class ResponseWriter {
 public:
  ResponseWriter(std::int32_t correlation_id, std::int16_t api_key, std::int16_t api_version,
                 net::OutcomeCallback done)
      : correlation_id_(correlation_id), api_key_(api_key), api_version_(api_version),
        done_(std::move(done)) {}

  template <typename Message>
  void send(const Message& body) {
    send_as(body, api_version_);
  }
  // Encodes the body at another version (the ApiVersions fallback answers v0).
  template <typename Message>
  void send_as(const Message& body, std::int16_t body_version) {
    protocol::WireWriter writer = begin_response_frame(correlation_id_, header_version());
    body.encode(writer, body_version);
    done_(finish_response_frame(writer));
  }
  void no_response() { done_(net::RequestOutcome::none()); }
  void close(std::string reason) { done_(net::RequestOutcome::close(std::move(reason))); }

 private:
  std::int16_t header_version() const;

  std::int32_t correlation_id_;
  std::int16_t api_key_;
  std::int16_t api_version_;
  net::OutcomeCallback done_;
};

class ApiHandler {
 public:
  virtual ~ApiHandler() = default;
  virtual std::int16_t api_key() const = 0;
  virtual const char* name() const = 0;
  // The versions this broker implements and advertises.
  virtual std::int16_t min_version() const = 0;
  virtual std::int16_t max_version() const = 0;
  // ApiVersions answers even versions it does not know (with an error).
  virtual bool accepts_unsupported_versions() const { return false; }
  // May throw protocol::DecodeError: the dispatcher closes the connection.
  virtual void handle(const RequestContext& context, protocol::WireReader& body,
                      ResponseWriter respond) = 0;
};

// Decodes the generated request type and passes it on.
template <typename Request>
class TypedHandler : public ApiHandler {
 public:
  std::int16_t api_key() const override { return Request::kApiKey; }
  std::int16_t min_version() const override { return Request::kLowestVersion; }
  std::int16_t max_version() const override { return Request::kHighestVersion; }

  void handle(const RequestContext& context, protocol::WireReader& body,
              ResponseWriter respond) final {
    Request request;
    request.decode(body, context.api_version);
    handle(context, std::move(request), std::move(respond));
  }

 protected:
  virtual void handle(const RequestContext& context, Request request, ResponseWriter respond) = 0;
};

}  // namespace brokkr::handlers
