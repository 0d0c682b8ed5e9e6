// Listeners: one acceptor per configured listener, each accepted connection
// on its own strand of the shared io_context.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "config/broker_config.hpp"
#include "net/connection.hpp"
#include "net/request_sink.hpp"

namespace brokkr::net {

struct BoundListener {
  config::ListenerConfig config;
  std::uint16_t port = 0;  // the port actually bound (differs from config when it asked for 0)
};

class Server {
 public:
  // Connections read and write on `io`; their requests are handled on
  // strands of `handlers`.
  Server(boost::asio::io_context& io, boost::asio::thread_pool& handlers,
         std::vector<config::ListenerConfig> listeners, ConnectionLimits limits, RequestSink& sink);

  // Binds every listener; throws std::runtime_error naming the listener on failure.
  void start();
  const std::vector<BoundListener>& bound() const { return bound_; }

  void stop_accepting();
  // Asks every connection to finish its in-flight requests and close.
  void drain_connections();
  void abort_connections();
  std::size_t open_connections();

 private:
  struct Listener {
    BoundListener bound;
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
  };
  void accept(Listener& listener);

  boost::asio::io_context& io_;
  boost::asio::thread_pool& handlers_;
  std::vector<config::ListenerConfig> listener_configs_;
  ConnectionLimits limits_;
  RequestSink& sink_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<BoundListener> bound_;
  std::mutex connections_mutex_;
  std::vector<std::weak_ptr<Connection>> connections_;
  std::atomic<std::uint64_t> next_connection_id_{1};
  std::atomic<bool> stopping_{false};
};

}  // namespace brokkr::net
