#include "app/broker.hpp"

#include <chrono>
#include <memory>
#include <thread>

#include <boost/asio.hpp>

#include "app/data_dir_lock.hpp"
#include "app/plugin_set.hpp"
#include "cluster/metadata_cache.hpp"
#include "cluster/topic_admin.hpp"
#include "handlers/all_handlers.hpp"
#include "handlers/request_dispatcher.hpp"
#include "logging/logging.hpp"
#include "net/server.hpp"
#include "partition/partition_manager.hpp"

namespace brokkr::app {
namespace asio = boost::asio;

namespace {

sdk::BrokerRegistration registration_for(const config::BrokerConfig& config,
                                         const std::vector<net::BoundListener>& bound) {
  sdk::BrokerRegistration registration;
  registration.node_id = config.node_id;
  registration.rack = config.rack;
  for (const auto& listener : bound) {
    config::HostPort advertised = listener.config.advertised();
    // Listening on port 0 picks a free port: advertise the one we got.
    if (!listener.config.advertise && advertised.port == 0) advertised.port = listener.port;
    registration.endpoints.push_back(sdk::BrokerEndpoint{listener.config.name, advertised.host,
                                                         advertised.port,
                                                         listener.config.security_protocol});
  }
  return registration;
}

// Stops accepting, lets every connection finish what it has in flight, and
// stops the event loop once they are all closed or the timeout passes.
void shut_down(asio::io_context& io, net::Server& server, std::chrono::milliseconds timeout) {
  server.stop_accepting();
  server.drain_connections();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto timer = std::make_shared<asio::steady_timer>(io);
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [&io, &server, timer, poll, deadline] {
    if (server.open_connections() == 0 || std::chrono::steady_clock::now() >= deadline) {
      if (server.open_connections() != 0) {
        logging::get("net")->warn("shutdown timeout: closing {} connections with requests in flight",
                                  server.open_connections());
        server.abort_connections();
      }
      asio::post(io, [&io, poll] {
        *poll = nullptr;  // break the self-reference
        io.stop();
      });
      return;
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([poll](boost::system::error_code) {
      if (*poll) (*poll)();
    });
  };
  (*poll)();
}

}  // namespace

int Broker::run() {
  auto log = logging::get("broker");
  DataDirLock lock(config_.data_dir);

  PluginSet plugins(config_, plugin_directories(config_));
  sdk::ClusterCoordinator& coordinator = plugins.coordinator();
  coordinator.start();

  partition::CodecSet codecs;
  for (const auto& codec : plugins.codecs()) codecs.add(*codec);
  partition::PartitionManager partitions(plugins.storage(), config_);
  partitions.set_codecs(&codecs);
  partitions.start();
  cluster::MetadataCache cache;
  // The partition manager follows the cache only once the cache holds the
  // whole stored metadata: applied to a partial picture it would take the
  // logs of topics not loaded yet for strays and delete them.
  cache.attach(coordinator);
  cluster::TopicAdmin topic_admin(coordinator, cache, config_);
  // Topic config defaults: the TOML file, overridden by dynamic broker
  // configs (AlterConfigs on a broker resource); a change re-applies them.
  partitions.set_topic_defaults([&topic_admin] { return topic_admin.topic_defaults(); });
  auto broker_configs_watch = coordinator.watch(
      std::string(cluster::kBrokerConfigsPrefix),
      [&](const std::vector<sdk::StoreChange>&) { partitions.apply(*cache.snapshot()); });
  cache.subscribe([&partitions](const cluster::MetadataSnapshot& s) { partitions.apply(s); });
  partitions.apply(*cache.snapshot());

  asio::io_context io;
  handlers::BrokerServices services{io, config_, cache, coordinator};
  services.partitions = &partitions;
  services.topic_admin = &topic_admin;
  handlers::HandlerRegistry handler_registry;
  handlers::register_all_handlers(handler_registry, services);
  handlers::RequestDispatcher dispatcher(handler_registry);

  net::ConnectionLimits limits{config_.network.max_request_bytes,
                               config_.network.max_inflight_requests_per_connection};
  asio::thread_pool handler_pool(static_cast<std::size_t>(config_.network.handler_threads));
  net::Server server(io, handler_pool, config_.listeners, limits, dispatcher);
  server.start();
  coordinator.register_broker(registration_for(config_, server.bound()));

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    log->info("received signal {}, shutting down", signal);
    shut_down(io, server, std::chrono::milliseconds(config_.network.shutdown_timeout_ms));
  });

  log->info("broker {} started: cluster {}, {} listener(s), {} I/O thread(s), {} handler thread(s)",
            config_.node_id, coordinator.cluster_id(), server.bound().size(),
            config_.network.io_threads, config_.network.handler_threads);

  std::vector<std::thread> threads;
  for (int i = 1; i < config_.network.io_threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  handler_pool.join();

  coordinator.unwatch(broker_configs_watch);
  cache.detach();
  partitions.stop();
  coordinator.stop();
  log->info("broker {} stopped", config_.node_id);
  return 0;
}

}  // namespace brokkr::app
