// The seam between the network layer and request processing: the network
// hands over whole frames and gets back, in any order and from any thread,
// one outcome per frame; it sends the outcomes in request order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "net/connection_info.hpp"
#include "protocol/records.hpp"

namespace brokkr::net {

// A file range sent (with sendfile) before byte `position` of a frame.
struct FrameSplice {
  std::size_t position = 0;
  protocol::FileSlice slice;
};

struct RequestOutcome {
  enum class Kind {
    respond,      // send `frame` (size-prefixed response)
    no_response,  // e.g. Produce with acks=0: nothing goes back
    close,        // malformed or unsupported: close the connection, `reason` is logged
  };
  Kind kind = Kind::respond;
  std::vector<std::uint8_t> frame;
  std::vector<FrameSplice> splices;  // in position order
  std::string reason;

  static RequestOutcome respond(std::vector<std::uint8_t> frame, std::vector<FrameSplice> splices = {}) {
    return {Kind::respond, std::move(frame), std::move(splices), {}};
  }
  static RequestOutcome none() { return {Kind::no_response, {}, {}, {}}; }
  static RequestOutcome close(std::string reason) { return {Kind::close, {}, {}, std::move(reason)}; }
};

// Must be called exactly once per request; may be called from any thread.
using OutcomeCallback = std::function<void(RequestOutcome)>;

class RequestSink {
 public:
  virtual ~RequestSink() = default;
  // `frame` is the request without its 4-byte size prefix.
  virtual void on_request(std::vector<std::uint8_t> frame, const ConnectionInfo& connection,
                          OutcomeCallback done) = 0;
};

}  // namespace brokkr::net
