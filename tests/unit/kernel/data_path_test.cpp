// The data path end to end inside one process: real raft coordinator, real
// segment storage on disk, partition manager fed by the metadata cache, and
// Produce / Fetch / ListOffsets requests through the dispatcher as frames.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "cluster/metadata_cache.hpp"
#include "cluster/metadata_records.hpp"
#include "config/broker_config.hpp"
#include "handlers/all_handlers.hpp"
#include "handlers/request_dispatcher.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/fetch_request.hpp"
#include "protocol/generated/fetch_response.hpp"
#include "protocol/generated/list_offsets_request.hpp"
#include "protocol/generated/list_offsets_response.hpp"
#include "protocol/generated/produce_request.hpp"
#include "protocol/generated/produce_response.hpp"
#include "protocol/generated/response_header.hpp"
#include "raft_coordinator.hpp"
#include "segment_storage.hpp"
#include "support/batch_builder.hpp"
#include "support/in_process_kernel.hpp"

using namespace brokkr;
using namespace std::chrono_literals;

namespace {

struct Broker : test::InProcessKernel {
  explicit Broker(std::optional<std::filesystem::path> existing = {})
      : InProcessKernel("brokkr-data-path", std::move(existing)) {}

  void create_topic(const std::string& name, int partition_count) {
    cluster::TopicMetadata topic;
    topic.name = name;
    topic.topic_id = protocol::Uuid::random();
    for (int p = 0; p < partition_count; ++p) topic.partitions.push_back({p, 1, 0, {1}, {1}});
    REQUIRE(coordinator->put(cluster::topic_key(name), cluster::encode_topic(topic), sdk::kMustNotExist).ok());
    for (int i = 0; i < 200 && !partitions->get(name, 0); ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(partitions->get(name, 0));
  }
};

protocol::ProduceRequest produce(const std::string& topic, std::int32_t partition,
                                 std::vector<std::uint8_t> batch, std::int16_t acks = -1) {
  protocol::ProduceRequest request;
  request.acks = acks;
  request.timeout_ms = 1000;
  request.topic_data.resize(1);
  request.topic_data[0].name = topic;
  request.topic_data[0].partition_data.resize(1);
  request.topic_data[0].partition_data[0].index = partition;
  request.topic_data[0].partition_data[0].records = std::move(batch);
  return request;
}

protocol::FetchRequest fetch(const std::string& topic, std::int32_t partition, std::int64_t offset,
                             std::int32_t min_bytes = 0, std::int32_t max_wait_ms = 0) {
  protocol::FetchRequest request;
  request.max_wait_ms = max_wait_ms;
  request.min_bytes = min_bytes;
  request.topics.resize(1);
  request.topics[0].topic = topic;
  request.topics[0].partitions.resize(1);
  request.topics[0].partitions[0].partition = partition;
  request.topics[0].partitions[0].fetch_offset = offset;
  request.topics[0].partitions[0].partition_max_bytes = 1 << 20;
  return request;
}

}  // namespace

TEST_CASE("produce, fetch and list offsets through the whole kernel", "[data-path]") {
  Broker broker;
  broker.create_topic("orders", 2);

  auto batch = test::build_batch({{"k1", "v1", 0, {{"h", "1"}}}, {"k2", "v2", 3, {}}});
  for (std::int16_t v : {3, 9}) {
    auto response = broker.receive<protocol::ProduceResponse>(broker.send(produce("orders", 0, batch), v), v);
    REQUIRE(response.responses.size() == 1);
    const auto& p = response.responses[0].partition_responses[0];
    CHECK(p.error_code == 0);
    CHECK(p.base_offset == (v == 3 ? 0 : 2));
  }

  SECTION("fetch returns the batches from the log files, offsets assigned") {
    auto response = broker.receive<protocol::FetchResponse>(broker.send(fetch("orders", 0, 0), 11), 11);
    REQUIRE(response.responses.size() == 1);
    const auto& p = response.responses[0].partitions[0];
    CHECK(p.error_code == 0);
    CHECK(p.high_watermark == 4);
    REQUIRE(p.records.has_value());
    REQUIRE(p.records->size() == 2 * batch.size());
    auto first = sdk::record_batch::parse_header(*p.records);
    auto second = sdk::record_batch::parse_header(std::span(*p.records).subspan(batch.size()));
    CHECK(first->base_offset == 0);
    CHECK(second->base_offset == 2);
    CHECK(sdk::record_batch::crc_matches(std::span(*p.records).first(batch.size())));
  }

  SECTION("fetching from the middle starts at the batch holding the offset") {
    auto response = broker.receive<protocol::FetchResponse>(broker.send(fetch("orders", 0, 3), 12), 12);
    const auto& p = response.responses[0].partitions[0];
    REQUIRE(p.records->size() == batch.size());
    CHECK(sdk::record_batch::parse_header(*p.records)->base_offset == 2);
  }

  SECTION("ListOffsets earliest, latest, by timestamp") {
    protocol::ListOffsetsRequest request;
    request.topics.resize(1);
    request.topics[0].name = "orders";
    for (std::int64_t ts : {-2LL, -1LL, 1700000000003LL, -3LL}) {
      protocol::ListOffsetsRequest::ListOffsetsPartition p;
      p.partition_index = 0;
      p.timestamp = ts;
      request.topics[0].partitions = {p};
      auto response = broker.receive<protocol::ListOffsetsResponse>(broker.send(request, 7), 7);
      const auto& out = response.topics[0].partitions[0];
      CHECK(out.error_code == 0);
      if (ts == -2) CHECK(out.offset == 0);
      if (ts == -1) CHECK(out.offset == 4);
      if (ts == 1700000000003LL) CHECK(out.offset == 1);
      if (ts == -3) CHECK(out.timestamp == 1700000000003LL);
    }
  }

  SECTION("errors per partition") {
    auto unknown = broker.receive<protocol::ProduceResponse>(broker.send(produce("orders", 7, batch), 9), 9);
    CHECK(unknown.responses[0].partition_responses[0].error_code == 3);
    auto bad = batch;
    bad[bad.size() - 1] ^= 0x55;
    auto corrupt = broker.receive<protocol::ProduceResponse>(broker.send(produce("orders", 0, bad), 9), 9);
    CHECK(corrupt.responses[0].partition_responses[0].error_code == 2);
    auto out_of_range = broker.receive<protocol::FetchResponse>(broker.send(fetch("orders", 0, 99), 11), 11);
    CHECK(out_of_range.responses[0].partitions[0].error_code == 1);
    auto bad_acks = broker.receive<protocol::ProduceResponse>(broker.send(produce("orders", 0, batch, 2), 9), 9);
    CHECK(bad_acks.responses[0].partition_responses[0].error_code == 21);
  }

  SECTION("acks=0 gets no response") {
    auto future = broker.send(produce("orders", 1, batch, 0), 9);
    REQUIRE(future.wait_for(5s) == std::future_status::ready);
    CHECK(future.get().kind == net::RequestOutcome::Kind::no_response);
    CHECK(broker.partitions->get("orders", 1)->log_end_offset() == 2);
  }

  SECTION("a long-poll fetch is answered when data arrives") {
    auto waiting = broker.send(fetch("orders", 1, 0, 1, 10000), 11);
    CHECK(waiting.wait_for(100ms) == std::future_status::timeout);
    broker.receive<protocol::ProduceResponse>(broker.send(produce("orders", 1, batch), 9), 9);
    auto response = broker.receive<protocol::FetchResponse>(std::move(waiting), 11);
    CHECK(response.responses[0].partitions[0].records->size() == batch.size());
  }

  SECTION("a long poll with no data ends at max wait with an empty answer") {
    auto start = std::chrono::steady_clock::now();
    auto response = broker.receive<protocol::FetchResponse>(broker.send(fetch("orders", 1, 0, 1, 200), 11), 11);
    CHECK(std::chrono::steady_clock::now() - start >= 150ms);
    CHECK(response.responses[0].partitions[0].records->size() == 0);
  }

  SECTION("fetch sessions: full, then incremental with only news") {
    auto request = fetch("orders", 0, 4);
    request.session_id = 0;
    request.session_epoch = 0;
    auto full = broker.receive<protocol::FetchResponse>(broker.send(request, 11), 11);
    REQUIRE(full.session_id != 0);
    CHECK(full.responses.size() == 1);

    protocol::FetchRequest incremental;
    incremental.session_id = full.session_id;
    incremental.session_epoch = 1;
    auto quiet = broker.receive<protocol::FetchResponse>(broker.send(incremental, 11), 11);
    CHECK(quiet.error_code == 0);
    CHECK(quiet.session_id == full.session_id);
    CHECK(quiet.responses.empty());

    broker.receive<protocol::ProduceResponse>(broker.send(produce("orders", 0, batch), 9), 9);
    incremental.session_epoch = 2;
    auto news = broker.receive<protocol::FetchResponse>(broker.send(incremental, 11), 11);
    REQUIRE(news.responses.size() == 1);
    CHECK(news.responses[0].partitions[0].records->size() == batch.size());

    incremental.session_epoch = 7;
    auto stale = broker.receive<protocol::FetchResponse>(broker.send(incremental, 11), 11);
    CHECK(stale.error_code == 71);
    incremental.session_id = 123456789;
    auto missing = broker.receive<protocol::FetchResponse>(broker.send(incremental, 11), 11);
    CHECK(missing.error_code == 70);
  }
}

TEST_CASE("topics and records survive a restart of the broker", "[data-path]") {
  auto batch = test::build_batch({{"k", "v", 0, {}}});
  std::filesystem::path dir;
  {
    Broker broker;
    broker.keep_data = true;
    dir = broker.dir;
    broker.create_topic("kept", 1);
    broker.receive<protocol::ProduceResponse>(broker.send(produce("kept", 0, batch), 9), 9);
    broker.receive<protocol::ProduceResponse>(broker.send(produce("kept", 0, batch), 9), 9);
  }
  Broker restarted(dir);
  restarted.keep_data = false;
  auto partition = restarted.partitions->get("kept", 0);
  REQUIRE(partition);
  CHECK(partition->log_end_offset() == 2);
  auto response = restarted.receive<protocol::FetchResponse>(restarted.send(fetch("kept", 0, 0), 11), 11);
  CHECK(response.responses[0].partitions[0].records->size() == 2 * batch.size());
}
