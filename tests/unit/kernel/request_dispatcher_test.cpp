#include <catch2/catch.hpp>

#include "cluster/metadata_cache.hpp"
#include "cluster/metadata_records.hpp"
#include "handlers/api_versions_handler.hpp"
#include "handlers/metadata_handler.hpp"
#include "handlers/request_dispatcher.hpp"
#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/api_versions_response.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/metadata_response.hpp"
#include "protocol/generated/response_header.hpp"

using namespace brokkr;
using protocol::ApiVersionsRequest;
using protocol::ApiVersionsResponse;
using protocol::MetadataRequest;
using protocol::MetadataResponse;

namespace {

struct Fixture {
  cluster::MetadataCache cache;
  handlers::HandlerRegistry registry;
  handlers::RequestDispatcher dispatcher{registry};
  net::ConnectionInfo connection{1, "PLAINTEXT", "PLAINTEXT", "127.0.0.1", 5555};

  Fixture() {
    registry.add(std::make_unique<handlers::ApiVersionsHandler>(registry));
    registry.add(std::make_unique<handlers::MetadataHandler>(cache));
    sdk::ClusterView view;
    view.live_brokers = {{1, "rack-a", {{"PLAINTEXT", "broker1", 9092, "PLAINTEXT"}, {"INTERNAL", "10.0.0.1", 9093, "PLAINTEXT"}}},
                         {2, std::nullopt, {{"INTERNAL", "10.0.0.2", 9093, "PLAINTEXT"}}}};
    view.controller_id = 1;
    cache.apply_cluster_view(view);
    cache.set_cluster_id("test-cluster");
    cluster::TopicMetadata topic;
    topic.name = "orders";
    topic.topic_id = protocol::Uuid::random();
    topic.partitions = {{0, 1, 5, {1}, {1}}, {1, 2, 0, {2}, {2}}};
    cache.apply_store_changes({{cluster::topic_key("orders"), sdk::VersionedValue{cluster::encode_topic(topic), 0}}});
  }

  template <typename Request>
  std::vector<std::uint8_t> frame(const Request& body, std::int16_t version, std::int32_t correlation_id = 42) {
    protocol::WireWriter w;
    protocol::RequestHeader header;
    header.request_api_key = Request::kApiKey;
    header.request_api_version = version;
    header.correlation_id = correlation_id;
    header.client_id = "unit-test";
    header.encode(w, protocol::request_header_version(Request::kApiKey, version));
    body.encode(w, version);
    return w.take();
  }

  net::RequestOutcome dispatch(std::vector<std::uint8_t> bytes) {
    std::optional<net::RequestOutcome> result;
    dispatcher.on_request(std::move(bytes), connection, [&](net::RequestOutcome o) { result = std::move(o); });
    REQUIRE(result);
    return std::move(*result);
  }

  // Checks the size prefix and response header; returns a reader at the body.
  template <typename Response>
  Response response(const net::RequestOutcome& outcome, std::int16_t header_version, std::int16_t body_version,
                    std::int32_t correlation_id = 42) {
    REQUIRE(outcome.kind == net::RequestOutcome::Kind::respond);
    protocol::WireReader r(outcome.frame);
    CHECK(r.read_int32() == static_cast<std::int32_t>(outcome.frame.size() - 4));
    protocol::ResponseHeader header;
    header.decode(r, header_version);
    CHECK(header.correlation_id == correlation_id);
    Response body;
    body.decode(r, body_version);
    CHECK(r.remaining() == 0);
    return body;
  }
};

}  // namespace

TEST_CASE("ApiVersions answers every version with the served APIs", "[dispatch]") {
  Fixture f;
  for (std::int16_t v = ApiVersionsRequest::kLowestVersion; v <= ApiVersionsRequest::kHighestVersion; ++v) {
    ApiVersionsRequest request;
    request.client_software_name = "librdkafka";
    request.client_software_version = "2.0.2";
    auto body = f.response<ApiVersionsResponse>(f.dispatch(f.frame(request, v)), 0, v);
    CHECK(body.error_code == 0);
    REQUIRE(body.api_keys.size() == 2);
    CHECK(body.api_keys[0].api_key == 3);
    CHECK(body.api_keys[0].max_version == MetadataRequest::kHighestVersion);
    CHECK(body.api_keys[1].api_key == 18);
  }
}

TEST_CASE("ApiVersions from a newer client gets UNSUPPORTED_VERSION in a v0 body", "[dispatch]") {
  Fixture f;
  // Hand-built: a version we do not know, with a flexible (v2) header.
  protocol::WireWriter w;
  w.write_int16(18);
  w.write_int16(99);
  w.write_int32(7);
  w.write_string("future-client");
  w.write_unsigned_varint(0);  // header tagged fields
  w.write_raw(std::vector<std::uint8_t>{1, 2, 3});  // a body we cannot know
  auto body = f.response<ApiVersionsResponse>(f.dispatch(w.take()), 0, 0, 7);
  CHECK(body.error_code == 35);
  CHECK(body.api_keys.size() == 2);
}

TEST_CASE("ApiVersions v3 with an invalid client software name is INVALID_REQUEST", "[dispatch]") {
  Fixture f;
  ApiVersionsRequest request;
  request.client_software_name = "bad name!";
  request.client_software_version = "1.0";
  auto body = f.response<ApiVersionsResponse>(f.dispatch(f.frame(request, 3)), 0, 3);
  CHECK(body.error_code == 42);
}

TEST_CASE("Metadata lists brokers on the request's listener, controller, cluster id and topics", "[dispatch]") {
  Fixture f;
  for (std::int16_t v = 0; v <= MetadataRequest::kHighestVersion; ++v) {
    MetadataRequest request;  // null topics (v1+) / empty (v0): every topic
    if (v == 0) {
      request.topics = std::vector<MetadataRequest::MetadataRequestTopic>{};
    } else {
      request.topics = std::nullopt;
    }
    auto header_version = protocol::response_header_version(MetadataRequest::kApiKey, v);
    auto body = f.response<MetadataResponse>(f.dispatch(f.frame(request, v)), header_version, v);
    REQUIRE(body.brokers.size() == 1);  // broker 2 has no PLAINTEXT listener
    CHECK(body.brokers[0].host == "broker1");
    CHECK(body.brokers[0].port == 9092);
    if (v >= 1) {
      CHECK(body.controller_id == 1);
      CHECK(body.brokers[0].rack == "rack-a");
    }
    if (v >= 2) CHECK(body.cluster_id == "test-cluster");
    REQUIRE(body.topics.size() == 1);
    const auto& topic = body.topics[0];
    CHECK(topic.name == "orders");
    REQUIRE(topic.partitions.size() == 2);
    CHECK(topic.partitions[0].error_code == 0);
    CHECK(topic.partitions[0].leader_id == 1);
    if (v >= 7) CHECK(topic.partitions[0].leader_epoch == 5);
    CHECK(topic.partitions[1].leader_id == 2);
    if (v >= 10) CHECK_FALSE(topic.topic_id.is_zero());
  }
}

TEST_CASE("Metadata for named topics: known, unknown, invalid, and none", "[dispatch]") {
  Fixture f;
  MetadataRequest request;
  request.topics = std::vector<MetadataRequest::MetadataRequestTopic>(3);
  (*request.topics)[0].name = "orders";
  (*request.topics)[1].name = "missing";
  (*request.topics)[2].name = "bad name";
  auto body = f.response<MetadataResponse>(f.dispatch(f.frame(request, 9)), 1, 9);
  REQUIRE(body.topics.size() == 3);
  CHECK(body.topics[0].error_code == 0);
  CHECK(body.topics[1].error_code == 3);
  CHECK(body.topics[2].error_code == 17);

  request.topics->clear();  // v1+: an empty list asks for no topics
  auto none = f.response<MetadataResponse>(f.dispatch(f.frame(request, 4)), 0, 4);
  CHECK(none.topics.empty());
}

TEST_CASE("malformed and unsupported requests close the connection", "[dispatch]") {
  Fixture f;
  auto closes = [&](std::vector<std::uint8_t> bytes) {
    return f.dispatch(std::move(bytes)).kind == net::RequestOutcome::Kind::close;
  };
  MetadataRequest request;
  auto good = f.frame(request, 1);
  // Every truncation of a valid request.
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    CHECK(closes(std::vector<std::uint8_t>(good.begin(), good.begin() + cut)));
  }
  auto too_new = good;
  too_new[3] = MetadataRequest::kHighestVersion + 1;  // unsupported version
  CHECK(closes(too_new));
  auto unknown_api = good;
  unknown_api[0] = 0x03;
  unknown_api[1] = 0xE7;  // API key 999
  CHECK(closes(unknown_api));
  auto lying = good;
  lying[8] = 0x7f;  // client id length 0x7fxx, far beyond the frame
  CHECK(closes(lying));
}
