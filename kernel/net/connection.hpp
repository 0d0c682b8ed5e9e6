// One client connection: Kafka framing (4-byte big-endian size + body),
// pipelined requests, responses written strictly in request order.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "net/connection_info.hpp"
#include "net/request_sink.hpp"

namespace brokkr::net {

struct ConnectionLimits {
  std::int32_t max_request_bytes = 104857600;
  std::int32_t max_inflight_requests = 32;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  // Requests are handled on `handler_executor` (a strand of the handler
  // pool: one request of this connection at a time, in order), so the
  // event loop never waits for a handler's disk I/O or locks.
  Connection(Socket socket, ConnectionInfo info, ConnectionLimits limits, RequestSink& sink,
             boost::asio::any_io_executor handler_executor);

  void start();
  // Stop reading new requests, finish and send the ones in flight, then close.
  void drain();
  // Close at once.
  void abort();

  const ConnectionInfo& info() const { return info_; }
  bool closed() const { return closed_; }

 private:
  struct Slot {
    std::uint64_t sequence = 0;
    std::optional<RequestOutcome> outcome;
  };

  void read_size();
  void read_body(std::int32_t size);
  void dispatch(std::vector<std::uint8_t> frame);
  void complete(std::uint64_t sequence, RequestOutcome outcome);
  void flush();
  void write_pending();
  void maybe_resume_reading();
  void on_read_error();
  std::int32_t requests_in_flight() const;
  void close_when_done();
  void close();

  Socket socket_;
  ConnectionInfo info_;
  ConnectionLimits limits_;
  RequestSink& sink_;
  boost::asio::any_io_executor handler_executor_;

  std::uint8_t size_bytes_[4] = {};
  std::vector<std::uint8_t> body_;
  std::deque<Slot> slots_;        // requests in arrival order
  std::uint64_t next_sequence_ = 0;
  struct OutFrame {
    std::vector<std::uint8_t> bytes;
    std::vector<FrameSplice> splices;
  };
  // A run of the write in progress: bytes of a frame, or a file slice.
  struct Piece {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    const protocol::FileSlice* file = nullptr;
  };
  void write_pieces(std::size_t index);
  void send_file(std::size_t index, std::int64_t sent);

  std::vector<OutFrame> pending_writes_;  // ready, not yet being written
  std::vector<OutFrame> writing_;         // frames of the write in progress
  std::vector<Piece> pieces_;             // writing_ cut into runs
  bool reading_ = false;
  bool read_paused_ = false;
  bool draining_ = false;
  bool close_after_write_ = false;
  std::atomic<bool> closed_{false};
};

}  // namespace brokkr::net
