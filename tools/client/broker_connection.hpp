// One TCP connection to one broker, speaking Kafka's framing. Opening it
// negotiates API versions (ApiVersions); each request then goes out at the
// highest version both sides know. Blocking, with a timeout on every wait;
// requests may be pipelined (send several, then receive them in order).
// Not thread-safe: one thread uses a connection at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::client {

struct BrokerAddress {
  std::int32_t node_id = -1;  // bootstrap servers get -1, -2, ... as Kafka's clients do
  std::string host;
  std::uint16_t port = 0;
  std::string rack;
  std::string to_string() const;  // "node 1 (host:port)"
};

struct VersionRange {
  std::int16_t min = 0;
  std::int16_t max = -1;
};

class BrokerConnection {
 public:
  BrokerConnection(BrokerAddress address, std::string client_id, std::chrono::milliseconds timeout);
  ~BrokerConnection();
  BrokerConnection(const BrokerConnection&) = delete;
  BrokerConnection& operator=(const BrokerConnection&) = delete;

  // Connects and negotiates versions; throws NetworkError on failure.
  void open();
  bool is_open() const { return fd_ >= 0; }
  void close();
  const BrokerAddress& address() const { return address_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

  // The broker's range for an API (max = -1 when it does not offer it).
  VersionRange broker_versions(std::int16_t api_key) const;
  // Highest version in [ours.min, ours.max] the broker offers; throws
  // ClientError naming the API when there is none.
  std::int16_t pick_version(std::int16_t api_key, std::int16_t our_min, std::int16_t our_max) const;
  template <typename Request>
  std::int16_t version_for() const {
    return pick_version(Request::kApiKey, Request::kLowestVersion, Request::kHighestVersion);
  }

  // Sends a request and returns its correlation id. version -1 = negotiated.
  template <typename Request>
  std::int32_t send(const Request& request, std::int16_t version = -1) {
    if (version < 0) version = version_for<Request>();
    return send_frame(Request::kApiKey, version,
                      [&](protocol::WireWriter& w) { request.encode(w, version); });
  }

  // Reads the response to `correlation_id` (earlier unread responses are
  // dropped). `wait` overrides the timeout, e.g. for a Fetch long poll.
  template <typename Response>
  Response receive(std::int32_t correlation_id, std::int16_t version,
                   std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    Response response;
    receive_frame(correlation_id, Response::kApiKey, version, wait,
                  [&](protocol::WireReader& r) { response.decode(r, version); });
    return response;
  }

  // send + receive at the negotiated (or given) version.
  template <typename Response, typename Request>
  Response call(const Request& request, std::int16_t version = -1,
                std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    if (version < 0) version = version_for<Request>();
    auto id = send(request, version);
    return receive<Response>(id, version, wait);
  }

 private:
  std::int32_t send_frame(std::int16_t api_key, std::int16_t version,
                          const std::function<void(protocol::WireWriter&)>& body);
  void receive_frame(std::int32_t correlation_id, std::int16_t api_key, std::int16_t version,
                     std::chrono::milliseconds wait,
                     const std::function<void(protocol::WireReader&)>& body);
  void negotiate_versions();
  void connect_socket();
  void write_all(const std::vector<std::uint8_t>& bytes);
  void read_exact(std::uint8_t* out, std::size_t n, std::chrono::steady_clock::time_point deadline);
  [[noreturn]] void fail(const std::string& what);

  BrokerAddress address_;
  std::string client_id_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::int32_t next_correlation_id_ = 1;
  std::map<std::int16_t, VersionRange> broker_versions_;
  std::vector<std::uint8_t> frame_buffer_;  // reused by receive_frame
};

}  // namespace brokkr::client
