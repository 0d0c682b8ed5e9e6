#include "net/connection.hpp"

#include "logging/logging.hpp"

namespace brokkr::net {
namespace asio = boost::asio;

namespace {
// The smallest request header: api key, api version, correlation id.
constexpr std::int32_t kMinRequestBytes = 8;

std::int32_t decode_size(const std::uint8_t* b) {
  return static_cast<std::int32_t>((std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) |
                                   (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]));
}
}  // namespace

Connection::Connection(Socket socket, ConnectionInfo info, ConnectionLimits limits,
                       RequestSink& sink)
    : socket_(std::move(socket)), info_(std::move(info)), limits_(limits), sink_(sink) {}

void Connection::start() {
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  read_size();
}

void Connection::read_size() {
  if (closed_ || draining_) return;
  if (static_cast<std::int32_t>(slots_.size()) >= limits_.max_inflight_requests) {
    read_paused_ = true;  // resumed as responses go out
    return;
  }
  reading_ = true;
  asio::async_read(socket_, asio::buffer(size_bytes_),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     self->reading_ = false;
                     if (ec || self->closed_) return self->on_read_error();
                     self->read_body(decode_size(self->size_bytes_));
                   });
}

void Connection::read_body(std::int32_t size) {
  // Check the claimed size before allocating anything for it.
  if (size < kMinRequestBytes || size > limits_.max_request_bytes) {
    logging::get("net")->warn(
        "closing connection {} on listener {}: request size {} is outside {}..{} "
        "(network.max_request_bytes)",
        info_.describe(), info_.listener_name, size, kMinRequestBytes, limits_.max_request_bytes);
    close_after_write_ = true;
    return flush();
  }
  body_.resize(static_cast<std::size_t>(size));
  reading_ = true;
  asio::async_read(socket_, asio::buffer(body_),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     self->reading_ = false;
                     if (ec || self->closed_) return self->on_read_error();
                     self->dispatch(std::exchange(self->body_, {}));
                     self->read_size();
                   });
}

void Connection::on_read_error() {
  // End of stream after drain() asked for it: finish what is in flight.
  if (draining_ && !closed_) return close_when_done();
  close();
}

void Connection::dispatch(std::vector<std::uint8_t> frame) {
  std::uint64_t sequence = next_sequence_++;
  slots_.push_back(Slot{sequence, std::nullopt});
  auto self = shared_from_this();
  sink_.on_request(std::move(frame), info_, [self, sequence](RequestOutcome outcome) {
    // Handlers may answer from another thread: hop back onto the socket's executor.
    asio::dispatch(self->socket_.get_executor(),
                   [self, sequence, outcome = std::move(outcome)]() mutable {
                     self->complete(sequence, std::move(outcome));
                   });
  });
}

void Connection::complete(std::uint64_t sequence, RequestOutcome outcome) {
  if (closed_) return;
  for (auto& slot : slots_) {
    if (slot.sequence == sequence) {
      slot.outcome = std::move(outcome);
      break;
    }
  }
  flush();
}

void Connection::flush() {
  if (closed_) return;
  // Finished responses at the head of the queue go out; later ones wait their turn.
  while (!close_after_write_ && !slots_.empty() && slots_.front().outcome) {
    RequestOutcome& outcome = *slots_.front().outcome;
    if (outcome.kind == RequestOutcome::Kind::respond) {
      pending_writes_.push_back(std::move(outcome.frame));
    } else if (outcome.kind == RequestOutcome::Kind::close) {
      logging::get("net")->warn("closing connection {} on listener {}: {}", info_.describe(),
                                info_.listener_name, outcome.reason);
      close_after_write_ = true;
    }
    slots_.pop_front();
  }
  write_pending();
  maybe_resume_reading();
}

void Connection::write_pending() {
  if (closed_ || !writing_.empty()) return;
  if (pending_writes_.empty()) return close_when_done();
  writing_.swap(pending_writes_);
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(writing_.size());
  for (const auto& frame : writing_) buffers.emplace_back(asio::buffer(frame));
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->writing_.clear();
                      if (ec) return self->close();
                      self->write_pending();
                      self->maybe_resume_reading();
                    });
}

void Connection::close_when_done() {
  if (closed_ || !writing_.empty() || !pending_writes_.empty()) return;
  if (close_after_write_) return close();
  if (draining_ && slots_.empty() && !reading_) return close();
}

void Connection::maybe_resume_reading() {
  if (read_paused_ && !draining_ && !close_after_write_ &&
      static_cast<std::int32_t>(slots_.size()) < limits_.max_inflight_requests) {
    read_paused_ = false;
    read_size();
  }
}

void Connection::drain() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    if (self->closed_) return;
    self->draining_ = true;
    // Wake a pending read with end-of-stream; requests already read still finish.
    boost::system::error_code ignored;
    if (self->reading_) self->socket_.shutdown(Socket::shutdown_receive, ignored);
    self->close_when_done();
  });
}

void Connection::abort() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace brokkr::net
