#include "net/connection.hpp"

#include <sys/sendfile.h>

#include <cerrno>
#include <cstring>

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
                       RequestSink& sink, asio::any_io_executor handler_executor)
    : socket_(std::move(socket)),
      info_(std::move(info)),
      limits_(limits),
      sink_(sink),
      handler_executor_(std::move(handler_executor)) {}

void Connection::start() {
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  read_size();
}

void Connection::read_size() {
  if (closed_ || draining_) return;
  if (requests_in_flight() >= limits_.max_inflight_requests) {
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

// Requests read but not yet fully written back: a client that never reads
// its responses stops being read from, so its memory use stays bounded.
std::int32_t Connection::requests_in_flight() const {
  return static_cast<std::int32_t>(slots_.size() + pending_writes_.size() + writing_.size());
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
  asio::post(handler_executor_, [self, sequence, frame = std::move(frame)]() mutable {
    self->sink_.on_request(std::move(frame), self->info_, [self, sequence](RequestOutcome outcome) {
      // Answers come from handler threads or delayed operations: hop back
      // onto the socket's executor.
      asio::dispatch(self->socket_.get_executor(),
                     [self, sequence, outcome = std::move(outcome)]() mutable {
                       self->complete(sequence, std::move(outcome));
                     });
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
      pending_writes_.push_back(OutFrame{std::move(outcome.frame), std::move(outcome.splices)});
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
  pieces_.clear();
  for (const auto& frame : writing_) {
    std::size_t at = 0;
    for (const auto& splice : frame.splices) {
      if (splice.position > at) pieces_.push_back({frame.bytes.data() + at, splice.position - at, nullptr});
      pieces_.push_back({nullptr, 0, &splice.slice});
      at = splice.position;
    }
    if (frame.bytes.size() > at) pieces_.push_back({frame.bytes.data() + at, frame.bytes.size() - at, nullptr});
  }
  write_pieces(0);
}

// Writes pieces_[index...]: consecutive in-memory runs in one gathered
// write, file slices with sendfile (zero copy).
void Connection::write_pieces(std::size_t index) {
  if (closed_) return;
  if (index >= pieces_.size()) {
    writing_.clear();
    pieces_.clear();
    write_pending();
    return maybe_resume_reading();
  }
  if (pieces_[index].file) return send_file(index, 0);
  std::vector<asio::const_buffer> buffers;
  std::size_t end = index;
  while (end < pieces_.size() && !pieces_[end].file) {
    buffers.emplace_back(pieces_[end].data, pieces_[end].size);
    ++end;
  }
  asio::async_write(socket_, buffers,
                    [self = shared_from_this(), end](boost::system::error_code ec, std::size_t) {
                      if (ec) return self->close();
                      self->write_pieces(end);
                    });
}

void Connection::send_file(std::size_t index, std::int64_t sent) {
  const protocol::FileSlice& file = *pieces_[index].file;
  socket_.native_non_blocking(true);
  while (sent < file.length) {
    off_t offset = static_cast<off_t>(file.position + sent);
    ssize_t n = ::sendfile(socket_.native_handle(), file.fd, &offset,
                           static_cast<std::size_t>(file.length - sent));
    if (n > 0) {
      sent += n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      socket_.async_wait(Socket::wait_write,
                         [self = shared_from_this(), index, sent](boost::system::error_code ec) {
                           if (ec) return self->close();
                           self->send_file(index, sent);
                         });
      return;
    }
    // The file shrank under us (n == 0) or the socket failed: the frame
    // cannot be completed, so the connection cannot continue.
    logging::get("net")->warn("closing connection {}: sendfile failed after {} of {} bytes: {}",
                              info_.describe(), sent, file.length,
                              n == 0 ? "file ended early" : std::strerror(errno));
    return close();
  }
  write_pieces(index + 1);
}

void Connection::close_when_done() {
  if (closed_ || !writing_.empty() || !pending_writes_.empty()) return;
  if (close_after_write_) return close();
  if (draining_ && slots_.empty() && !reading_) return close();
}

void Connection::maybe_resume_reading() {
  if (read_paused_ && !draining_ && !close_after_write_ &&
      requests_in_flight() < limits_.max_inflight_requests) {
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
