#include "app/broker.hpp"

#include <chrono>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/data_dir_lock.hpp"
#include "app/plugin_set.hpp"
#include "app/systemd_notify.hpp"
#include "cluster/metadata_cache.hpp"
#include "cluster/topic_admin.hpp"
#include "groups/consumer/consumer_group_manager.hpp"  // KIP-848
#include "groups/consumer/expiry_timer.hpp"           // KIP-848
#include "groups/group_coordinator.hpp"
#include "groups/offsets_topic_log.hpp"
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
  // Consumer-group state lives in __consumer_offsets (kernel/groups/offsets_topic_log.hpp).
  groups::OffsetsTopicLog group_log(partitions, &codecs, config_, io);
  handlers::BrokerServices services{io, config_, cache, coordinator};
  services.partitions = &partitions;
  services.topic_admin = &topic_admin;
  // ---- KIP-848 consumer groups (kernel/groups/consumer/), durable in
  // __consumer_offsets: offered when an assignor plugin named in
  // groups.consumer_assignors is loaded. ----
  std::unique_ptr<groups::consumer::ConsumerGroupManager> consumer_groups;
  std::unique_ptr<groups::consumer::ExpiryTimer> consumer_group_expiry;
  {
    std::vector<sdk::Assignor*> loaded;
    for (const auto& assignor : plugins.assignors()) loaded.push_back(assignor.get());
    auto offered = groups::consumer::offered_assignors(config_.groups.consumer_assignors, loaded);
    for (const auto& name : offered.missing) {
      log->warn("groups.consumer_assignors names '{}', but no assignor plugin of that name is loaded "
                "(plugins.assignors)", name);
    }
    if (offered.assignors.empty()) {
      log->warn("no consumer group assignor loaded: the consumer group protocol (KIP-848) is not offered");
    } else {
      groups::consumer::ConsumerGroupSettings settings{config_.groups.consumer_session_timeout_ms,
                                                       config_.groups.consumer_heartbeat_interval_ms,
                                                       config_.groups.max_size};
      consumer_groups = std::make_unique<groups::consumer::ConsumerGroupManager>(
          settings, offered.assignors, [&cache] { return cache.snapshot(); });
      consumer_group_expiry = std::make_unique<groups::consumer::ExpiryTimer>(io, *consumer_groups);
      consumer_group_expiry->start();
      services.consumer_groups = consumer_groups.get();
    }
  }
  // ---- end KIP-848 consumer groups ----
  // ---- classic consumer groups (kernel/groups/group_coordinator.hpp): they
  // answer COORDINATOR_LOAD_IN_PROGRESS until __consumer_offsets is loaded below. ----
  groups::GroupCoordinator group_coordinator(io, config_.groups, config_.node_id, &cache);
  group_coordinator.mark_loading();
  services.group_coordinator = &group_coordinator;
  // ---- end classic consumer groups ----
  // KIP-848 groups are coordinated where classic ones are (the leader of the
  // group's __consumer_offsets partition), and an id held by a live classic
  // group is not taken over (an Empty one may be, as Kafka allows).
  if (consumer_groups) {
    // OffsetCommit/OffsetFetch/OffsetDelete/ListGroups/DescribeGroups/DeleteGroups/
    // JoinGroup/SyncGroup/Heartbeat/LeaveGroup consult it.
    group_coordinator.set_consumer_groups(consumer_groups.get());
    // KIP-848 group state is durable: written to __consumer_offsets, and
    // rebuilt from it by the classic coordinator's load() below.
    consumer_groups->set_log(&group_log);
    group_coordinator.set_consumer_group_replay(consumer_groups.get());
    // (COORDINATOR_LOAD_IN_PROGRESS until __consumer_offsets is loaded: the
    // KIP-848 groups are rebuilt by that load.)
    consumer_groups->set_coordinator_check(
        [&group_coordinator](const std::string& id) { return group_coordinator.coordinator_error(id); });
    consumer_groups->set_classic_group_check([&group_coordinator](const std::string& id) {
      auto described = group_coordinator.describe_group(id);
      return described.error == protocol::ErrorCode::none && described.state != "Dead" &&
             described.state != "Empty";
    });
  }
  handlers::HandlerRegistry handler_registry;
  handlers::register_all_handlers(handler_registry, services);
  handlers::RequestDispatcher dispatcher(handler_registry);

  net::ConnectionLimits limits{config_.network.max_request_bytes,
                               config_.network.max_inflight_requests_per_connection};
  asio::thread_pool handler_pool(static_cast<std::size_t>(config_.network.handler_threads));
  net::Server server(io, handler_pool, config_.listeners, limits, dispatcher);
  // Installed before the listeners open: a SIGTERM during the start-up work
  // below (creating and loading __consumer_offsets) is then a clean stop.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    log->info("received signal {}, shutting down", signal);
    systemd_notify("STOPPING=1");  // Type=notify units: the stop has begun
    shut_down(io, server, std::chrono::milliseconds(config_.network.shutdown_timeout_ms));
  });
  server.start();
  coordinator.register_broker(registration_for(config_, server.bound()));
  // Type=notify units: listening and registered, so ready (groups answer
  // COORDINATOR_LOAD_IN_PROGRESS, which clients retry, until loaded below).
  systemd_notify("READY=1");
  // ---- __consumer_offsets: created at the first start (after this broker
  // registered: the replication factor counts live brokers), before the
  // group coordinator loads it. ----
  group_log.ensure_topic(topic_admin, cache, coordinator.cluster_view().live_brokers.size());
  // ---- classic consumer groups: rebuilt from the partitions this broker leads ----
  group_coordinator.load(group_log, group_log.led_partitions());
  group_coordinator.start();
  // ---- end classic consumer groups ----

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
