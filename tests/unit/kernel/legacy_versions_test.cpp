// Produce v0-2, Fetch v0-3 and ListOffsets v0 through the whole kernel:
// legacy message sets go in (plain and gzip wrappers), are stored as v2
// batches, and come back down-converted for old fetches while v4+ stays
// zero copy; bad legacy input gets per-partition errors.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "brokkr/sdk/record_batch.hpp"
#include "cluster/metadata_records.hpp"
#include "gzip_codec.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/api_versions_response.hpp"
#include "protocol/generated/fetch_request.hpp"
#include "protocol/generated/fetch_response.hpp"
#include "protocol/generated/list_offsets_request.hpp"
#include "protocol/generated/list_offsets_response.hpp"
#include "protocol/generated/produce_request.hpp"
#include "protocol/generated/produce_response.hpp"
#include "support/batch_builder.hpp"
#include "support/in_process_kernel.hpp"
#include "support/legacy_builder.hpp"

using namespace brokkr;
using namespace std::chrono_literals;
using test::Bytes;
using test::LegacySpec;
using test::LegacyView;
namespace rb = sdk::record_batch;

namespace {

constexpr std::int64_t kTs = 1700000000000;

struct Broker : test::InProcessKernel {
  codecs::GzipCodec gzip;
  partition::CodecSet codec_set;

  Broker() : InProcessKernel("brokkr-legacy") {
    codec_set.add(gzip);
    partitions->set_codecs(&codec_set);
  }

  void create_topic(const std::string& name) {
    cluster::TopicMetadata topic;
    topic.name = name;
    topic.topic_id = protocol::Uuid::random();
    topic.partitions.push_back({0, 1, 0, {1}, {1}});
    REQUIRE(coordinator->put(cluster::topic_key(name), cluster::encode_topic(topic), sdk::kMustNotExist).ok());
    for (int i = 0; i < 200 && !partitions->get(name, 0); ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(partitions->get(name, 0));
  }

  protocol::ProduceResponse::PartitionProduceResponse produce(const std::string& topic, Bytes records,
                                                              std::int16_t version) {
    protocol::ProduceRequest request;
    request.acks = 1;
    request.timeout_ms = 1000;
    request.topic_data.resize(1);
    request.topic_data[0].name = topic;
    request.topic_data[0].partition_data.resize(1);
    request.topic_data[0].partition_data[0].records = std::move(records);
    auto response = call<protocol::ProduceResponse>(request, version);
    REQUIRE(response.responses.size() == 1);
    REQUIRE(response.responses[0].partition_responses.size() == 1);
    return response.responses[0].partition_responses[0];
  }

  protocol::FetchRequest fetch_request(const std::string& topic, std::int64_t offset, std::int32_t partition_max) {
    protocol::FetchRequest request;
    request.max_wait_ms = 0;
    request.topics.resize(1);
    request.topics[0].topic = topic;
    request.topics[0].partitions.resize(1);
    request.topics[0].partitions[0].fetch_offset = offset;
    request.topics[0].partitions[0].partition_max_bytes = partition_max;
    return request;
  }

  protocol::FetchResponse::PartitionData fetch(const std::string& topic, std::int64_t offset, std::int16_t version,
                                               std::int32_t partition_max = 1 << 20) {
    auto response = call<protocol::FetchResponse>(fetch_request(topic, offset, partition_max), version);
    REQUIRE(response.responses.size() == 1);
    REQUIRE(response.responses[0].partitions.size() == 1);
    return response.responses[0].partitions[0];
  }

  std::vector<std::int64_t> list_offsets_v0(const std::string& topic, std::int64_t timestamp,
                                            std::int32_t max_num_offsets = 1) {
    protocol::ListOffsetsRequest request;
    request.replica_id = -1;
    request.topics.resize(1);
    request.topics[0].name = topic;
    protocol::ListOffsetsRequest::ListOffsetsPartition p;
    p.partition_index = 0;
    p.timestamp = timestamp;
    p.max_num_offsets = max_num_offsets;
    request.topics[0].partitions = {p};
    auto response = call<protocol::ListOffsetsResponse>(request, 0);
    const auto& out = response.topics[0].partitions[0];
    CHECK(out.error_code == 0);
    return out.old_style_offsets;
  }
};

std::vector<LegacySpec> specs(int count, std::int64_t first_offset, const std::string& tag) {
  std::vector<LegacySpec> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({first_offset + i, tag + "-k" + std::to_string(i), tag + "-v" + std::to_string(i), kTs + i, 0});
  }
  return out;
}

}  // namespace

TEST_CASE("old clients produce and fetch legacy message sets", "[legacy-versions]") {
  Broker broker;
  broker.create_topic("old");

  // Produce v0 and v1 send magic 0; v2 sends magic 1, here as a gzip wrapper.
  auto p0 = broker.produce("old", test::legacy_set(0, specs(3, 0, "v0")), 0);
  CHECK(p0.error_code == 0);
  CHECK(p0.base_offset == 0);
  auto p1 = broker.produce("old", test::legacy_set(0, specs(2, 0, "v1")), 1);
  CHECK(p1.error_code == 0);
  CHECK(p1.base_offset == 3);
  auto p2 = broker.produce("old", test::legacy_wrapper(1, 3, broker.gzip, test::legacy_set(1, specs(4, 0, "v2"))), 2);
  CHECK(p2.error_code == 0);
  CHECK(p2.base_offset == 5);
  CHECK(p2.log_append_time_ms == -1);

  SECTION("stored as v2 batches, the gzip one still gzip; v4+ fetches stay zero copy") {
    auto future = broker.send(broker.fetch_request("old", 0, 1 << 20), 11);
    REQUIRE(future.wait_for(5s) == std::future_status::ready);
    auto outcome = future.get();
    CHECK_FALSE(outcome.splices.empty());
    auto p = broker.fetch("old", 0, 11);
    std::vector<int> codecs;
    std::span<const std::uint8_t> rest(*p.records);
    while (auto header = rb::parse_header(rest)) {
      CHECK(header->magic == 2);
      codecs.push_back(static_cast<int>(header->compression()));
      rest = rest.subspan(static_cast<std::size_t>(header->total_size()));
    }
    CHECK(codecs == std::vector<int>{0, 0, 1});
  }

  SECTION("Fetch v0-1 read magic 0, v2-3 magic 1, from memory") {
    for (std::int16_t version : {0, 1, 2, 3}) {
      INFO("Fetch v" << version);
      auto future = broker.send(broker.fetch_request("old", 0, 1 << 20), version);
      REQUIRE(future.wait_for(5s) == std::future_status::ready);
      CHECK(future.get().splices.empty());
      auto p = broker.fetch("old", 0, version);
      CHECK(p.error_code == 0);
      CHECK(p.high_watermark == 9);
      auto messages = test::read_legacy(*p.records);
      REQUIRE(messages.size() == 9);
      std::int8_t magic = version <= 1 ? 0 : 1;
      for (std::size_t i = 0; i < 9; ++i) {
        CHECK(messages[i].offset == static_cast<std::int64_t>(i));
        CHECK(messages[i].magic == magic);
      }
      CHECK(messages[0].value == "v0-v0");
      CHECK(messages[4].key == "v1-k1");
      CHECK(messages[8].value == "v2-v3");
      // Magic 0 producers had no timestamps; magic 1 ones keep theirs.
      CHECK(messages[0].timestamp == -1);
      CHECK(messages[8].timestamp == (magic == 1 ? kTs + 3 : -1));
    }
  }

  SECTION("from the middle of a batch, and within the byte limits") {
    auto middle = test::read_legacy(*broker.fetch("old", 6, 3).records);
    REQUIRE(middle.size() == 3);
    CHECK(middle[0].offset == 6);
    // A partition limit of 1 byte still returns one whole message.
    auto one = test::read_legacy(*broker.fetch("old", 0, 2, 1).records);
    REQUIRE(one.size() == 1);
    // Fetch v3's response limit too.
    auto request = broker.fetch_request("old", 0, 1 << 20);
    request.max_bytes = 100;
    auto response = broker.call<protocol::FetchResponse>(request, 3);
    auto limited = test::read_legacy(*response.responses[0].partitions[0].records);
    CHECK(limited.size() == 2);  // 2 x 44 bytes fit in 100
  }

  SECTION("ListOffsets v0") {
    CHECK(broker.list_offsets_v0("old", -1) == std::vector<std::int64_t>{9});
    CHECK(broker.list_offsets_v0("old", -2) == std::vector<std::int64_t>{0});
    // By timestamp: what v1+ answers; inside a compressed batch the storage
    // engine answers the batch's base offset (5) rather than the record (7).
    auto by_time = broker.list_offsets_v0("old", kTs + 2);
    REQUIRE(by_time.size() == 1);
    CHECK((by_time[0] == 5 || by_time[0] == 7));
    CHECK(broker.list_offsets_v0("old", kTs + 100).empty());
    CHECK(broker.list_offsets_v0("old", -1, 0).empty());
  }

  SECTION("bad legacy input: per-partition errors, nothing written") {
    Bytes bad = test::legacy_set(1, specs(2, 0, "bad"));
    bad[30] ^= 0x01;
    CHECK(broker.produce("old", bad, 2).error_code == 2);
    Bytes truncated = test::legacy_set(1, specs(2, 0, "cut"));
    truncated.resize(truncated.size() - 5);
    CHECK(broker.produce("old", truncated, 2).error_code == 2);
    CHECK(broker.produce("old", {}, 1).error_code == 2);
    Bytes nested = test::legacy_wrapper(1, 0, broker.gzip,
                                        test::legacy_wrapper(1, 0, broker.gzip, test::legacy_set(1, specs(1, 0, "n"))));
    CHECK(broker.produce("old", nested, 2).error_code == 87);
    CHECK(broker.partitions->get("old", 0)->log_end_offset() == 9);
  }

  SECTION("a v2 batch sent at Produce v2 is taken as it is") {
    auto batch = test::build_batch({{"modern", "batch", 0, {}}});
    auto p = broker.produce("old", batch, 2);
    CHECK(p.error_code == 0);
    CHECK(p.base_offset == 9);
  }
}

TEST_CASE("ApiVersions advertises the old versions of the data APIs", "[legacy-versions]") {
  Broker broker;
  auto response = broker.call<protocol::ApiVersionsResponse>(protocol::ApiVersionsRequest{}, 2);
  std::map<std::int16_t, std::int16_t> min_version;
  for (const auto& api : response.api_keys) min_version[api.api_key] = api.min_version;
  CHECK(min_version.at(0) == 0);  // Produce
  CHECK(min_version.at(1) == 0);  // Fetch
  CHECK(min_version.at(2) == 0);  // ListOffsets
}
