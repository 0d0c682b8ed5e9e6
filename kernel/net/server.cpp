#include "net/server.hpp"

#include <stdexcept>

#include "logging/logging.hpp"

namespace brokkr::net {
namespace asio = boost::asio;
using asio::ip::tcp;

Server::Server(asio::io_context& io, asio::thread_pool& handlers,
               std::vector<config::ListenerConfig> listeners, ConnectionLimits limits,
               RequestSink& sink)
    : io_(io), handlers_(handlers), listener_configs_(std::move(listeners)), limits_(limits), sink_(sink) {}

void Server::start() {
  for (const auto& config : listener_configs_) {
    auto listener = std::make_unique<Listener>();
    listener->bound.config = config;
    try {
      tcp::resolver resolver(io_);
      auto results = resolver.resolve(config.listen.host, std::to_string(config.listen.port),
                                      tcp::resolver::passive);
      tcp::endpoint endpoint = results.begin()->endpoint();
      listener->acceptor = std::make_unique<tcp::acceptor>(io_);
      listener->acceptor->open(endpoint.protocol());
      listener->acceptor->set_option(tcp::acceptor::reuse_address(true));
      listener->acceptor->bind(endpoint);
      listener->acceptor->listen(asio::socket_base::max_listen_connections);
      listener->bound.port = listener->acceptor->local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("listener " + config.name + " on " + config.listen.to_string() +
                               ": cannot listen: " + e.code().message());
    }
    logging::get("net")->info("listener {} accepting on {}:{}", config.name, config.listen.host,
                              listener->bound.port);
    bound_.push_back(listener->bound);
    listeners_.push_back(std::move(listener));
  }
  for (auto& listener : listeners_) accept(*listener);
}

void Server::accept(Listener& listener) {
  listener.acceptor->async_accept(
      asio::make_strand(io_), [this, &listener](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !listener.acceptor->is_open()) return;
        if (stopping_) {
          // Accepted while shutting down: not served, not drained.
          boost::system::error_code ignored;
          socket.close(ignored);
          return;
        }
        if (!ec) {
          ConnectionInfo info;
          info.id = next_connection_id_++;
          info.listener_name = listener.bound.config.name;
          info.security_protocol = listener.bound.config.security_protocol;
          boost::system::error_code peer_ec;
          auto peer = socket.remote_endpoint(peer_ec);
          if (!peer_ec) {
            info.peer_host = peer.address().to_string();
            info.peer_port = peer.port();
          }
          auto connection = std::make_shared<Connection>(std::move(socket), info, limits_, sink_,
                                                         asio::make_strand(handlers_));
          {
            std::lock_guard lock(connections_mutex_);
            std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
            connections_.push_back(connection);
          }
          logging::get("net")->debug("connection {} from {} on {}", info.id, info.describe(),
                                     info.listener_name);
          connection->start();
        } else {
          // Out of descriptors and the like: log and keep accepting.
          logging::get("net")->warn("accept on listener {} failed: {}", listener.bound.config.name,
                                    ec.message());
        }
        accept(listener);
      });
}

void Server::stop_accepting() {
  stopping_ = true;
  for (auto& listener : listeners_) {
    asio::post(io_, [&listener] {
      boost::system::error_code ignored;
      listener->acceptor->close(ignored);
    });
  }
}

void Server::drain_connections() {
  std::lock_guard lock(connections_mutex_);
  for (auto& weak : connections_) {
    if (auto connection = weak.lock()) connection->drain();
  }
}

void Server::abort_connections() {
  std::lock_guard lock(connections_mutex_);
  for (auto& weak : connections_) {
    if (auto connection = weak.lock()) connection->abort();
  }
}

std::size_t Server::open_connections() {
  std::lock_guard lock(connections_mutex_);
  std::erase_if(connections_, [](const auto& weak) {
    auto connection = weak.lock();
    return !connection || connection->closed();
  });
  return connections_.size();
}

}  // namespace brokkr::net
