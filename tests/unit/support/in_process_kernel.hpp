// A whole kernel in one test process: the real raft coordinator and segment
// storage on a temp directory, the partition manager fed by the metadata
// cache, topic admin, and every handler behind the dispatcher. Tests send
// real request frames and decode the responses (file slices read from disk).
#pragma once

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio.hpp>

#include "cluster/metadata_cache.hpp"
#include "cluster/topic_admin.hpp"
#include "config/broker_config.hpp"
#include "handlers/all_handlers.hpp"
#include "handlers/request_dispatcher.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/request_header.hpp"
#include "protocol/generated/response_header.hpp"
#include "raft_coordinator.hpp"
#include "segment_storage.hpp"

namespace brokkr::test {

class NullLogger final : public sdk::Logger {
 public:
  bool enabled(sdk::LogLevel) const override { return false; }
  void log(sdk::LogLevel, std::string_view) override {}
};

inline std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

inline sdk::PluginContext plugin_context(const std::string& name, const std::filesystem::path& dir,
                                         bool fsync) {
  sdk::PluginContext c;
  c.plugin_name = name;
  c.config = sdk::ConfigTable("plugins." + name);
  if (name == "segment") c.config.set("maintenance_interval_ms", sdk::ConfigValue{std::int64_t{0}});
  if (name == "raft") c.config.set("fsync", sdk::ConfigValue{fsync});
  c.logger = std::make_shared<NullLogger>();
  c.data_dir = dir.string();
  c.node_id = 1;
  return c;
}

struct InProcessKernel {
  static constexpr std::int32_t kCorrelationId = 77;

  std::filesystem::path dir;
  bool keep_data = false;  // leave the data directory for a restart
  config::BrokerConfig config;
  std::unique_ptr<raft::RaftCoordinator> coordinator;
  std::unique_ptr<segment::SegmentStorage> storage;
  std::unique_ptr<partition::PartitionManager> partitions;
  cluster::MetadataCache cache;
  std::unique_ptr<cluster::TopicAdmin> admin;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread io_thread;
  handlers::HandlerRegistry registry;
  std::unique_ptr<handlers::RequestDispatcher> dispatcher;
  net::ConnectionInfo connection{1, "PLAINTEXT", "PLAINTEXT", "127.0.0.1", 4000};

  static std::vector<sdk::BrokerRegistration> this_broker_only() {
    return {{1, std::nullopt, {{"PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT"}}}};
  }

  // A new temp directory, or `existing` (a restart) when given. `brokers`
  // are registered as live (node 1 is this broker).
  explicit InProcessKernel(const std::string& prefix, std::optional<std::filesystem::path> existing = {},
                           bool fsync = true,
                           std::vector<sdk::BrokerRegistration> brokers = this_broker_only())
      : dir(existing ? *existing : make_temp_dir(prefix)) {
    coordinator = std::make_unique<raft::RaftCoordinator>(plugin_context("raft", dir, fsync));
    coordinator->start();
    for (const auto& broker : brokers) coordinator->register_broker(broker);
    storage = std::make_unique<segment::SegmentStorage>(plugin_context("segment", dir, fsync));
    partitions = std::make_unique<partition::PartitionManager>(*storage, config);
    partitions->start();
    cache.attach(*coordinator);
    cache.subscribe([this](const cluster::MetadataSnapshot& s) { partitions->apply(s); });
    partitions->apply(*cache.snapshot());
    admin = std::make_unique<cluster::TopicAdmin>(*coordinator, cache, config);
    handlers::BrokerServices services{io, config, cache, *coordinator};
    services.partitions = partitions.get();
    services.topic_admin = admin.get();
    handlers::register_all_handlers(registry, services);
    dispatcher = std::make_unique<handlers::RequestDispatcher>(registry);
    io_thread = std::thread([this] { io.run(); });
  }

  ~InProcessKernel() {
    work.reset();
    io.stop();
    io_thread.join();
    cache.detach();
    partitions->stop();
    coordinator->stop();
    if (!keep_data) std::filesystem::remove_all(dir);
  }

  template <typename Request>
  std::future<net::RequestOutcome> send(const Request& body, std::int16_t version) {
    protocol::WireWriter w;
    protocol::RequestHeader header;
    header.request_api_key = Request::kApiKey;
    header.request_api_version = version;
    header.correlation_id = kCorrelationId;
    header.client_id = "in-process-test";
    header.encode(w, protocol::request_header_version(Request::kApiKey, version));
    body.encode(w, version);
    auto promise = std::make_shared<std::promise<net::RequestOutcome>>();
    auto future = promise->get_future();
    dispatcher->on_request(w.take(), connection,
                           [promise](net::RequestOutcome o) { promise->set_value(std::move(o)); });
    return future;
  }

  // Waits for the answer, reads its file slices from disk into the frame,
  // checks size prefix and response header, and decodes the body.
  template <typename Response>
  Response receive(std::future<net::RequestOutcome> future, std::int16_t version) {
    using namespace std::chrono_literals;
    REQUIRE(future.wait_for(5s) == std::future_status::ready);
    net::RequestOutcome outcome = future.get();
    REQUIRE(outcome.kind == net::RequestOutcome::Kind::respond);
    std::vector<std::uint8_t> bytes;
    std::size_t at = 0;
    for (const auto& splice : outcome.splices) {
      bytes.insert(bytes.end(), outcome.frame.begin() + at, outcome.frame.begin() + splice.position);
      std::vector<std::uint8_t> file(splice.slice.length);
      REQUIRE(::pread(splice.slice.fd, file.data(), file.size(), splice.slice.position) == splice.slice.length);
      bytes.insert(bytes.end(), file.begin(), file.end());
      at = splice.position;
    }
    bytes.insert(bytes.end(), outcome.frame.begin() + at, outcome.frame.end());
    protocol::WireReader r(bytes);
    CHECK(r.read_int32() == static_cast<std::int32_t>(bytes.size() - 4));
    protocol::ResponseHeader header;
    header.decode(r, protocol::response_header_version(Response::kApiKey, version));
    CHECK(header.correlation_id == kCorrelationId);
    Response response;
    response.decode(r, version);
    CHECK(r.remaining() == 0);
    return response;
  }

  template <typename Response, typename Request>
  Response call(const Request& body, std::int16_t version) {
    return receive<Response>(send(body, version), version);
  }
};

}  // namespace brokkr::test
