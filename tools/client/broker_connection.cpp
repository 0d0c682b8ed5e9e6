#include "broker_connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>

#include "client_error.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/api_versions_response.hpp"
#include "protocol/generated/request_header.hpp"
#include "protocol/generated/response_header.hpp"

namespace brokkr::client {
namespace {

constexpr std::int16_t kUnsupportedVersion = 35;
// A response larger than this is a desynchronised stream, not a real answer.
constexpr std::int32_t kMaxResponseBytes = 1 << 30;
// Response buffers up to this size are kept for the next response.
constexpr std::int32_t kRetainedBufferBytes = 64 << 20;

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

}  // namespace

std::string BrokerAddress::to_string() const {
  return "node " + std::to_string(node_id) + " (" + host + ":" + std::to_string(port) + ")";
}

BrokerConnection::BrokerConnection(BrokerAddress address, std::string client_id,
                                   std::chrono::milliseconds timeout)
    : address_(std::move(address)), client_id_(std::move(client_id)), timeout_(timeout) {}

BrokerConnection::~BrokerConnection() { close(); }

void BrokerConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void BrokerConnection::fail(const std::string& what) {
  close();
  throw NetworkError("Connection to " + address_.to_string() + " " + what);
}

void BrokerConnection::open() {
  if (is_open()) return;
  connect_socket();
  negotiate_versions();
}

void BrokerConnection::connect_socket() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto port = std::to_string(address_.port);
  if (int rc = ::getaddrinfo(address_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw NetworkError("Couldn't resolve server " + address_.host + ":" + port + ": " + gai_strerror(rc));
  }
  std::string last_error = "could not be established";
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (addrinfo* ai = found; ai != nullptr && fd_ < 0; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, remaining_ms(deadline)) == 1 ? 0 : -1;
      int so_error = rc == 0 ? 0 : ETIMEDOUT;
      socklen_t len = sizeof(so_error);
      if (rc == 0) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
      if (so_error != 0) {
        errno = so_error;
        rc = -1;
      }
    }
    if (rc != 0) {
      last_error = std::string("could not be established: ") + std::strerror(errno);
      ::close(fd);
      continue;
    }
    // Back to blocking I/O (bounded by poll); no Nagle delay for small requests.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fd_ = fd;
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) throw NetworkError("Connection to " + address_.to_string() + " " + last_error + ". Broker may not be available.");
}

void BrokerConnection::negotiate_versions() {
  protocol::ApiVersionsRequest request;
  request.client_software_name = "brokkr-client";
  request.client_software_version = "1.0";
  std::int16_t version = protocol::ApiVersionsRequest::kHighestVersion;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto id = send(request, version);
    protocol::ApiVersionsResponse response;
    receive_frame(id, request.kApiKey, version, timeout_, [&](protocol::WireReader& r) {
      // A broker that does not know `version` answers in the v0 layout with error 35.
      auto body = r.read_raw(r.remaining());
      bool unsupported = body.size() >= 2 && body[0] == 0 && body[1] == kUnsupportedVersion;
      protocol::WireReader reader(body);
      response.decode(reader, unsupported ? 0 : version);
    });
    if (response.error_code == kUnsupportedVersion) {
      std::int16_t broker_max = 0;
      for (const auto& api : response.api_keys) {
        if (api.api_key == request.kApiKey) broker_max = api.max_version;
      }
      version = std::min(broker_max, version);
      continue;
    }
    throw_if_error(response.error_code, "ApiVersions with " + address_.to_string());
    broker_versions_.clear();
    for (const auto& api : response.api_keys) {
      broker_versions_[api.api_key] = VersionRange{api.min_version, api.max_version};
    }
    return;
  }
  fail("did not agree on an ApiVersions version");
}

VersionRange BrokerConnection::broker_versions(std::int16_t api_key) const {
  auto it = broker_versions_.find(api_key);
  return it == broker_versions_.end() ? VersionRange{} : it->second;
}

std::int16_t BrokerConnection::pick_version(std::int16_t api_key, std::int16_t our_min,
                                            std::int16_t our_max) const {
  auto theirs = broker_versions(api_key);
  std::int16_t version = std::min(our_max, theirs.max);
  if (version < std::max(our_min, theirs.min)) {
    const auto* info = protocol::find_api(api_key);
    throw ClientError(std::string("The broker ") + address_.to_string() + " does not support the " +
                      (info ? info->name : std::to_string(api_key)) + " API at a version this client speaks");
  }
  return version;
}

std::int32_t BrokerConnection::send_frame(std::int16_t api_key, std::int16_t version,
                                          const std::function<void(protocol::WireWriter&)>& body) {
  if (!is_open()) connect_socket();
  protocol::WireWriter w(256);
  w.write_int32(0);  // size, patched below
  protocol::RequestHeader header;
  header.request_api_key = api_key;
  header.request_api_version = version;
  header.correlation_id = next_correlation_id_++;
  header.client_id = client_id_;
  header.encode(w, protocol::request_header_version(api_key, version));
  body(w);
  w.patch_int32(0, static_cast<std::int32_t>(w.position() - 4));
  write_all(w.buffer());
  return header.correlation_id;
}

void BrokerConnection::receive_frame(std::int32_t correlation_id, std::int16_t api_key,
                                     std::int16_t version, std::chrono::milliseconds wait,
                                     const std::function<void(protocol::WireReader&)>& body) {
  if (!is_open()) fail("is closed");
  const auto deadline = std::chrono::steady_clock::now() + std::max(wait, timeout_);
  for (;;) {
    std::uint8_t size_bytes[4];
    read_exact(size_bytes, 4, deadline);
    std::int32_t size = static_cast<std::int32_t>((std::uint32_t(size_bytes[0]) << 24) | (std::uint32_t(size_bytes[1]) << 16) |
                                                  (std::uint32_t(size_bytes[2]) << 8) | size_bytes[3]);
    if (size < 4 || size > kMaxResponseBytes) fail("sent a response of impossible size " + std::to_string(size));
    // The connection keeps its largest frame buffer: a fresh zero-filled
    // vector per Fetch response costs a memset and page faults every time.
    std::vector<std::uint8_t> oversized;
    std::vector<std::uint8_t>& buffer = size <= kRetainedBufferBytes ? frame_buffer_ : oversized;
    if (buffer.size() < static_cast<std::size_t>(size)) buffer.resize(static_cast<std::size_t>(size));
    std::span<const std::uint8_t> frame(buffer.data(), static_cast<std::size_t>(size));
    read_exact(buffer.data(), frame.size(), deadline);
    protocol::WireReader r(frame);
    protocol::ResponseHeader header;
    try {
      header.decode(r, protocol::response_header_version(api_key, version));
      if (header.correlation_id < correlation_id) continue;  // answer to a request nobody waits for
      if (header.correlation_id != correlation_id) {
        fail("answered correlation id " + std::to_string(header.correlation_id) + " while " +
             std::to_string(correlation_id) + " was expected");
      }
      body(r);
    } catch (const protocol::DecodeError& e) {
      const auto* info = protocol::find_api(api_key);
      fail(std::string("sent a ") + (info ? info->name : "") + " v" + std::to_string(version) +
           " response this client cannot decode: " + e.what());
    }
    return;
  }
}

void BrokerConnection::write_all(const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (done < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) != 1) fail("timed out sending a request");
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(std::string("failed sending a request: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

void BrokerConnection::read_exact(std::uint8_t* out, std::size_t n,
                                  std::chrono::steady_clock::time_point deadline) {
  std::size_t done = 0;
  while (done < n) {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready == 0) fail("timed out waiting for a response");
    if (ready < 0 && errno == EINTR) continue;
    ssize_t got = ::recv(fd_, out + done, n - done, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got == 0) fail("was closed by the broker");
    if (got < 0) fail(std::string("failed: ") + std::strerror(errno));
    done += static_cast<std::size_t>(got);
  }
}

}  // namespace brokkr::client
