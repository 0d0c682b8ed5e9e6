// Request frames captured from kcat / librdkafka 2.0.2 by
// fixtures/capture_librdkafka.py: decode size prefix, request header and
// body with the generated code, check the values, re-encode byte-exactly.
//
// librdkafka 2.0.2 speaks Metadata only up to v4 and FindCoordinator up to
// v2 (non-flexible, header v1) even though the fake broker advertised more;
// its flexible requests here are ApiVersions v3 and OffsetFetch v7 (header v2).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/find_coordinator_request.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/offset_fetch_request.hpp"
#include "protocol/generated/request_header.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"
#include "test_support.hpp"

using namespace brokkr::protocol;

namespace {

struct Frame {
  std::vector<uint8_t> bytes;
  RequestHeader header;
  int16_t header_version = -1;
  size_t body_offset = 0;
};

Frame load_frame(const std::string& fixture) {
  Frame f;
  const auto path = testing::fixtures_dir() / fixture;
  f.bytes = testing::parse_hex(testing::read_text_file(path));
  INFO(path.string());
  REQUIRE(f.bytes.size() > 12);
  WireReader r(f.bytes);
  const int32_t size = r.read_int32();
  REQUIRE(size == static_cast<int32_t>(f.bytes.size() - 4));
  // The api key and version come first in every header version.
  WireReader peek(std::span<const uint8_t>(f.bytes).subspan(4));
  const int16_t key = peek.read_int16();
  const int16_t version = peek.read_int16();
  f.header_version = request_header_version(key, version);
  REQUIRE(f.header_version >= 0);
  f.header.decode(r, f.header_version);
  f.body_offset = r.position();
  return f;
}

template <class Body>
Body decode_body(const Frame& f) {
  WireReader r(std::span<const uint8_t>(f.bytes).subspan(f.body_offset));
  Body body;
  body.decode(r, f.header.request_api_version);
  REQUIRE(r.remaining() == 0);
  return body;
}

template <class Body>
std::vector<uint8_t> encode_frame(const RequestHeader& h, int16_t header_version, const Body& body) {
  WireWriter w;
  w.write_int32(0);
  h.encode(w, header_version);
  body.encode(w, h.request_api_version);
  w.patch_int32(0, static_cast<int32_t>(w.position() - 4));
  return w.take();
}

}  // namespace

TEST_CASE("librdkafka ApiVersions v3 request (header v2, flexible body)", "[protocol][librdkafka]") {
  const Frame f = load_frame("librdkafka_apiversions_v3_request.hex");
  CHECK(f.header_version == 2);
  CHECK(f.header.request_api_key == ApiVersionsRequest::kApiKey);
  CHECK(f.header.request_api_version == 3);
  CHECK(f.header.correlation_id == 1);
  // ClientId keeps the int16 length even in the flexible header v2.
  REQUIRE(f.header.client_id.has_value());
  CHECK(*f.header.client_id == "rdkafka");
  CHECK(f.header.unknown_tagged_fields.empty());
  // 4 size + 2 key + 2 version + 4 correlation + 2+7 client id + 1 header tags.
  CHECK(f.body_offset == 22);

  const auto body = decode_body<ApiVersionsRequest>(f);
  CHECK(body.client_software_name == "librdkafka");
  CHECK(body.client_software_version == "2.0.2");
  CHECK(body.unknown_tagged_fields.empty());

  CHECK(encode_frame(f.header, f.header_version, body) == f.bytes);
}

TEST_CASE("librdkafka Metadata v4 requests (brokers-only, then all topics)", "[protocol][librdkafka]") {
  // librdkafka 2.0.2 supports Metadata up to v4 although the fake broker
  // advertised v12, so these use header v1 and the non-flexible body.
  SECTION("bootstrap query: empty topic list") {
    const Frame f = load_frame("librdkafka_metadata_v4_request.hex");
    CHECK(f.header_version == 1);
    CHECK(f.header.request_api_key == MetadataRequest::kApiKey);
    CHECK(f.header.request_api_version == 4);
    CHECK(f.header.correlation_id == 2);
    CHECK(f.header.client_id == "rdkafka");
    const auto body = decode_body<MetadataRequest>(f);
    REQUIRE(body.topics.has_value());  // empty, not null: "no topics"
    CHECK(body.topics->empty());
    CHECK(body.allow_auto_topic_creation == false);
    CHECK(encode_frame(f.header, f.header_version, body) == f.bytes);
  }
  SECTION("kcat -L: null topic list means all topics") {
    const Frame f = load_frame("librdkafka_metadata_v4_request_1.hex");
    CHECK(f.header_version == 1);
    CHECK(f.header.request_api_version == 4);
    CHECK(f.header.correlation_id == 3);
    const auto body = decode_body<MetadataRequest>(f);
    CHECK_FALSE(body.topics.has_value());
    CHECK(body.allow_auto_topic_creation == true);
    CHECK(encode_frame(f.header, f.header_version, body) == f.bytes);
  }
}

TEST_CASE("librdkafka Metadata v4 request for one topic", "[protocol][librdkafka]") {
  const Frame f = load_frame("librdkafka_metadata_v4_request_2.hex");
  CHECK(f.header_version == 1);
  const auto body = decode_body<MetadataRequest>(f);
  REQUIRE(body.topics.has_value());
  REQUIRE(body.topics->size() == 1);
  CHECK(body.topics->at(0).name == "brokkr-capture");
  CHECK(body.topics->at(0).topic_id.is_zero());  // not in v4
  CHECK(body.allow_auto_topic_creation == false);
  CHECK(encode_frame(f.header, f.header_version, body) == f.bytes);
}

TEST_CASE("librdkafka FindCoordinator v2 request", "[protocol][librdkafka]") {
  const Frame f = load_frame("librdkafka_findcoordinator_v2_request.hex");
  CHECK(f.header_version == 1);
  CHECK(f.header.request_api_key == FindCoordinatorRequest::kApiKey);
  CHECK(f.header.request_api_version == 2);
  CHECK(f.header.client_id == "rdkafka");
  const auto body = decode_body<FindCoordinatorRequest>(f);
  CHECK(body.key == "brokkr-capture-group");
  CHECK(body.key_type == 0);  // group
  CHECK(encode_frame(f.header, f.header_version, body) == f.bytes);
}

TEST_CASE("librdkafka OffsetFetch v7 request (header v2, flexible body)", "[protocol][librdkafka]") {
  const Frame f = load_frame("librdkafka_offsetfetch_v7_request.hex");
  CHECK(f.header_version == 2);
  CHECK(f.header.request_api_key == OffsetFetchRequest::kApiKey);
  CHECK(f.header.request_api_version == 7);
  CHECK(f.header.client_id == "rdkafka");
  CHECK(f.header.unknown_tagged_fields.empty());
  const auto body = decode_body<OffsetFetchRequest>(f);
  CHECK(body.group_id == "brokkr-capture-group");
  REQUIRE(body.topics.has_value());
  REQUIRE(body.topics->size() == 1);
  const auto& topic = body.topics->at(0);
  CHECK(topic.name == "brokkr-capture");
  CHECK(topic.partition_indexes == std::vector<int32_t>{0});
  CHECK(topic.unknown_tagged_fields.empty());
  CHECK(body.require_stable == true);
  CHECK(body.groups.empty());  // v8+ only
  CHECK(encode_frame(f.header, f.header_version, body) == f.bytes);
}

TEST_CASE("every captured frame decodes completely and re-encodes", "[protocol][librdkafka]") {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::fixtures_dir())) {
    if (entry.path().extension() != ".hex") continue;
    const std::string name = entry.path().filename().string();
    if (name.rfind("librdkafka_", 0) != 0) continue;
    INFO(name);
    const Frame f = load_frame(name);
    ++n;
    std::vector<uint8_t> again;
    switch (f.header.request_api_key) {
      case ApiVersionsRequest::kApiKey:
        again = encode_frame(f.header, f.header_version, decode_body<ApiVersionsRequest>(f));
        break;
      case MetadataRequest::kApiKey:
        again = encode_frame(f.header, f.header_version, decode_body<MetadataRequest>(f));
        break;
      case FindCoordinatorRequest::kApiKey:
        again = encode_frame(f.header, f.header_version, decode_body<FindCoordinatorRequest>(f));
        break;
      case OffsetFetchRequest::kApiKey:
        again = encode_frame(f.header, f.header_version, decode_body<OffsetFetchRequest>(f));
        break;
      default:
        FAIL("no decoder wired up for api key " << f.header.request_api_key);
    }
    CHECK(again == f.bytes);
  }
  CHECK(n >= 6);
}
