// WireReader / WireWriter / Uuid primitives and the "never trust a length"
// rules: lying lengths, negative counts, bad varints, nulls where the schema
// forbids them, unsupported versions.
#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/decode_error.hpp"
#include "protocol/generated/api_versions_response.hpp"
#include "protocol/generated/consumer_group_heartbeat_response.hpp"
#include "protocol/generated/create_topics_request.hpp"
#include "protocol/generated/fetch_request.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/metadata_response.hpp"
#include "protocol/generated/request_header.hpp"
#include "protocol/uuid.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

using namespace brokkr::protocol;
using Bytes = std::vector<uint8_t>;

TEST_CASE("fixed-width integers are big-endian", "[protocol]") {
  WireWriter w;
  w.write_int8(-2);
  w.write_int16(0x1234);
  w.write_int32(-2);
  w.write_int64(0x0102030405060708LL);
  w.write_uint16(0xfffe);
  w.write_uint32(0xdeadbeef);
  w.write_float64(1.5);
  w.write_bool(true);
  const Bytes expected = {0xfe, 0x12, 0x34, 0xff, 0xff, 0xff, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xfe,
                          0xde, 0xad, 0xbe, 0xef, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 1};
  REQUIRE(w.buffer() == expected);
  WireReader r(w.buffer());
  CHECK(r.read_int8() == -2);
  CHECK(r.read_int16() == 0x1234);
  CHECK(r.read_int32() == -2);
  CHECK(r.read_int64() == 0x0102030405060708LL);
  CHECK(r.read_uint16() == 0xfffe);
  CHECK(r.read_uint32() == 0xdeadbeef);
  CHECK(r.read_float64() == 1.5);
  CHECK(r.read_bool());
  CHECK(r.remaining() == 0);
  CHECK(r.position() == expected.size());
  CHECK_THROWS_AS(r.read_int8(), DecodeError);
}

TEST_CASE("varints match Kafka's encoding", "[protocol]") {
  struct Case {
    int64_t value;
    Bytes bytes;
  };
  // zig-zag varlong
  for (const Case& c : {Case{0, {0x00}}, Case{-1, {0x01}}, Case{1, {0x02}}, Case{63, {0x7e}},
                        Case{-64, {0x7f}}, Case{64, {0x80, 0x01}}, Case{300, {0xd8, 0x04}},
                        Case{std::numeric_limits<int64_t>::max(),
                             {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
                        Case{std::numeric_limits<int64_t>::min(),
                             {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}}}) {
    WireWriter w;
    w.write_varlong(c.value);
    CHECK(w.buffer() == c.bytes);
    WireReader r(c.bytes);
    CHECK(r.read_varlong() == c.value);
  }
  WireWriter w;
  w.write_varint(std::numeric_limits<int32_t>::min());
  w.write_unsigned_varint(0xffffffffu);
  CHECK(w.buffer() == Bytes{0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f});
  WireReader r(w.buffer());
  CHECK(r.read_varint() == std::numeric_limits<int32_t>::min());
  CHECK(r.read_unsigned_varint() == 0xffffffffu);
}

TEST_CASE("bad varints are DecodeErrors", "[protocol]") {
  SECTION("unsigned varint longer than 5 bytes") {
    const Bytes b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_unsigned_varint(), DecodeError);
  }
  SECTION("unsigned varint overflowing 32 bits") {
    const Bytes b = {0xff, 0xff, 0xff, 0xff, 0x1f};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_unsigned_varint(), DecodeError);
  }
  SECTION("varlong longer than 10 bytes") {
    const Bytes b(11, 0x80);
    WireReader r(b);
    CHECK_THROWS_AS(r.read_varlong(), DecodeError);
  }
  SECTION("truncated varint") {
    const Bytes b = {0x80, 0x80};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_varint(), DecodeError);
  }
  SECTION("bad varint as a compact array length inside a message") {
    // MetadataRequest v9: Topics is a compact array.
    const Bytes b = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    WireReader r(b);
    MetadataRequest m;
    CHECK_THROWS_AS(m.decode(r, 9), DecodeError);
  }
}

TEST_CASE("strings, bytes and their null forms", "[protocol]") {
  WireWriter w;
  w.write_string("abc");
  w.write_nullable_string(std::nullopt);
  w.write_compact_string("xy");
  w.write_compact_nullable_string(std::nullopt);
  w.write_bytes(Bytes{1, 2});
  w.write_nullable_bytes(std::nullopt);
  w.write_compact_bytes(Bytes{3});
  w.write_compact_nullable_bytes(std::nullopt);
  const Bytes expected = {0, 3, 'a', 'b', 'c', 0xff, 0xff, 3, 'x', 'y', 0, 0, 0, 0, 2, 1, 2,
                          0xff, 0xff, 0xff, 0xff, 2, 3, 0};
  REQUIRE(w.buffer() == expected);
  WireReader r(w.buffer());
  CHECK(r.read_string() == "abc");
  CHECK_FALSE(r.read_nullable_string().has_value());
  CHECK(r.read_compact_string() == "xy");
  CHECK_FALSE(r.read_compact_nullable_string().has_value());
  CHECK(r.read_bytes() == Bytes{1, 2});
  CHECK_FALSE(r.read_nullable_bytes().has_value());
  CHECK(r.read_compact_bytes() == Bytes{3});
  CHECK_FALSE(r.read_compact_nullable_bytes().has_value());
  CHECK(r.remaining() == 0);
}

TEST_CASE("lying lengths are DecodeErrors before any allocation", "[protocol]") {
  SECTION("int16 string length 32767 on a short buffer") {
    const Bytes b = {0x7f, 0xff, 'a', 'b'};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_string(), DecodeError);
  }
  SECTION("int32 bytes length 2^31-1 on a short buffer") {
    const Bytes b = {0x7f, 0xff, 0xff, 0xff, 1, 2, 3};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_bytes(), DecodeError);
  }
  SECTION("compact string length 2^31-1 on a short buffer") {
    WireWriter w;
    w.write_unsigned_varint(0x80000000u);  // length 2^31-1
    w.write_raw(Bytes{'a'});
    WireReader r(w.buffer());
    CHECK_THROWS_AS(r.read_compact_string(), DecodeError);
  }
  SECTION("compact bytes length 2^32-2 on a short buffer") {
    WireWriter w;
    w.write_unsigned_varint(0xffffffffu);
    WireReader r(w.buffer());
    CHECK_THROWS_AS(r.read_compact_bytes(), DecodeError);
  }
  SECTION("array count 2^31-1 on a short buffer, inside a message") {
    // CreateTopicsRequest v0 starts with the Topics array.
    const Bytes b = {0x7f, 0xff, 0xff, 0xff, 0, 1, 'a'};
    WireReader r(b);
    CreateTopicsRequest m;
    CHECK_THROWS_AS(m.decode(r, 0), DecodeError);
  }
  SECTION("array count larger than remaining bytes / element size") {
    // 3 elements of int32 need 12 bytes; only 8 are there.
    const Bytes b = {0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_array_length(false, false, 4), DecodeError);
  }
  SECTION("string length inside a nested struct") {
    // MetadataRequest v1: one topic whose name claims 0x7fff bytes.
    const Bytes b = {0, 0, 0, 1, 0x7f, 0xff, 'x'};
    WireReader r(b);
    MetadataRequest m;
    CHECK_THROWS_AS(m.decode(r, 1), DecodeError);
  }
  SECTION("tagged field size larger than the remaining bytes") {
    // ApiVersionsResponse v3: error, empty api keys, throttle, 1 tag (0) of 100 bytes.
    const Bytes b = {0, 0, 1, 0, 0, 0, 0, 1, 0, 100, 1};
    WireReader r(b);
    ApiVersionsResponse m;
    CHECK_THROWS_AS(m.decode(r, 3), DecodeError);
  }
  SECTION("tagged field count larger than the remaining bytes") {
    const Bytes b = {0, 0, 1, 0, 0, 0, 0, 0x7f};
    WireReader r(b);
    ApiVersionsResponse m;
    CHECK_THROWS_AS(m.decode(r, 3), DecodeError);
  }
}

TEST_CASE("negative lengths other than -1 are DecodeErrors", "[protocol]") {
  SECTION("negative array count") {
    const Bytes b = {0xff, 0xff, 0xff, 0xfe};  // -2
    WireReader r(b);
    MetadataRequest m;
    CHECK_THROWS_AS(m.decode(r, 1), DecodeError);
  }
  SECTION("negative string length") {
    const Bytes b = {0xff, 0xfe, 'a'};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_nullable_string(), DecodeError);
  }
  SECTION("negative bytes length") {
    const Bytes b = {0x80, 0, 0, 0};
    WireReader r(b);
    CHECK_THROWS_AS(r.read_nullable_bytes(), DecodeError);
  }
}

TEST_CASE("null where the version does not allow it", "[protocol]") {
  SECTION("decode: null topics array in MetadataRequest v0") {
    const Bytes b = {0xff, 0xff, 0xff, 0xff};
    WireReader r(b);
    MetadataRequest m;
    CHECK_THROWS_AS(m.decode(r, 0), DecodeError);
  }
  SECTION("decode: null topic name before v10") {
    const Bytes b = {0, 0, 0, 1, 0xff, 0xff};
    WireReader r(b);
    MetadataRequest m;
    CHECK_THROWS_AS(m.decode(r, 1), DecodeError);
  }
  SECTION("decode: null topics is fine from v1") {
    const Bytes b = {0xff, 0xff, 0xff, 0xff};
    WireReader r(b);
    MetadataRequest m;
    m.decode(r, 1);
    CHECK_FALSE(m.topics.has_value());
  }
  SECTION("encode: null in a non-nullable version throws invalid_argument") {
    MetadataRequest m;
    m.topics.reset();
    WireWriter w;
    CHECK_THROWS_AS(m.encode(w, 0), std::invalid_argument);
  }
  SECTION("nullable struct field uses an int8 marker") {
    ConsumerGroupHeartbeatResponse m;
    m.assignment.reset();
    WireWriter w;
    m.encode(w, 0);
    ConsumerGroupHeartbeatResponse back;
    WireReader r(w.buffer());
    back.decode(r, 0);
    CHECK_FALSE(back.assignment.has_value());
    CHECK(r.remaining() == 0);
  }
}

TEST_CASE("versions outside the valid range", "[protocol]") {
  MetadataRequest m;
  WireWriter w;
  CHECK_THROWS_AS(m.encode(w, 13), std::invalid_argument);
  CHECK_THROWS_AS(m.encode(w, -1), std::invalid_argument);
  const Bytes b = {0, 0, 0, 0};
  WireReader r(b);
  CHECK_THROWS_AS(m.decode(r, 13), DecodeError);
}

TEST_CASE("fields absent from a version are ignored on encode", "[protocol]") {
  MetadataRequest m;
  m.topics.emplace();
  m.include_topic_authorized_operations = true;  // v8+
  m.allow_auto_topic_creation = false;           // v4+
  WireWriter w;
  m.encode(w, 3);
  CHECK(w.buffer() == Bytes{0, 0, 0, 0});
}

TEST_CASE("header versions: ClientId stays non-compact in request header v2", "[protocol]") {
  RequestHeader h;
  h.request_api_key = 3;
  h.request_api_version = 12;
  h.correlation_id = 7;
  h.client_id = "cli";
  WireWriter w;
  h.encode(w, 2);
  CHECK(w.buffer() == Bytes{0, 3, 0, 12, 0, 0, 0, 7, 0, 3, 'c', 'l', 'i', 0});
  RequestHeader back;
  WireReader r(w.buffer());
  back.decode(r, 2);
  CHECK(back == h);
  CHECK(RequestHeader::kFlexibleFrom == 2);
}

TEST_CASE("known tagged fields: written only when not default, in tag order", "[protocol]") {
  ApiVersionsResponse m;
  WireWriter w;
  m.encode(w, 3);
  // error_code, empty compact array, throttle, no tagged fields.
  CHECK(w.buffer() == Bytes{0, 0, 1, 0, 0, 0, 0, 0});

  m.zk_migration_ready = true;            // tag 3
  m.finalized_features_epoch = 5;         // tag 1
  m.unknown_tagged_fields.push_back({4, {0xaa}});
  m.unknown_tagged_fields.push_back({9, {}});
  WireWriter w2;
  m.encode(w2, 3);
  const Bytes expected = {0, 0, 1, 0, 0, 0, 0,
                          4,                                  // 4 tagged fields
                          1, 8, 0, 0, 0, 0, 0, 0, 0, 5,       // tag 1: int64 5
                          3, 1, 1,                            // tag 3: true
                          4, 1, 0xaa,                         // unknown tag 4
                          9, 0};                              // unknown tag 9
  CHECK(w2.buffer() == expected);
  ApiVersionsResponse back;
  WireReader r(w2.buffer());
  back.decode(r, 3);
  CHECK(r.remaining() == 0);
  CHECK(back == m);
  CHECK(back.finalized_features_epoch == 5);
  CHECK(back.unknown_tagged_fields.size() == 2);
}

TEST_CASE("unknown tagged fields interleave with known ones by tag", "[protocol]") {
  // What generated encoders do around a known tag 5.
  const std::vector<TaggedField> unknown = {{2, {1}}, {7, {2}}};
  WireWriter w;
  size_t index = 0;
  w.write_unknown_tagged_fields(unknown, index, 5);
  w.write_tagged_field(5, Bytes{9});
  w.write_unknown_tagged_fields(unknown, index, UINT64_MAX);
  CHECK(w.buffer() == Bytes{2, 1, 1, 5, 1, 9, 7, 1, 2});
  CHECK(index == 2);
}

TEST_CASE("tagged fields out of order or duplicated are DecodeErrors", "[protocol]") {
  const Bytes b = {0, 0, 1, 0, 0, 0, 0, 2, 3, 1, 1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 5};
  WireReader r(b);
  ApiVersionsResponse m;
  CHECK_THROWS_AS(m.decode(r, 3), DecodeError);
}

TEST_CASE("a known tagged field with trailing bytes is a DecodeError", "[protocol]") {
  // tag 3 (bool) with a 2-byte payload.
  const Bytes b = {0, 0, 1, 0, 0, 0, 0, 1, 3, 2, 1, 0};
  WireReader r(b);
  ApiVersionsResponse m;
  CHECK_THROWS_AS(m.decode(r, 3), DecodeError);
}

TEST_CASE("tagged struct fields (FetchRequest ReplicaState)", "[protocol]") {
  FetchRequest m;
  m.replica_state.replica_id = 3;
  m.replica_state.replica_epoch = 9;
  m.cluster_id = "c";
  WireWriter w;
  m.encode(w, 15);
  FetchRequest back;
  WireReader r(w.buffer());
  back.decode(r, 15);
  CHECK(r.remaining() == 0);
  CHECK(back == m);
  // At v12 ReplicaState is not a field: it is dropped, ClusterId stays.
  WireWriter w12;
  m.encode(w12, 12);
  FetchRequest back12;
  WireReader r12(w12.buffer());
  back12.decode(r12, 12);
  CHECK(back12.cluster_id == "c");
  CHECK(back12.replica_state == FetchRequest::ReplicaState{});
}

TEST_CASE("decode resets fields absent from the version", "[protocol]") {
  MetadataResponse m;
  m.cluster_id = "stale";
  m.throttle_time_ms = 5;
  const Bytes v0 = {0, 0, 0, 0, 0, 0, 0, 0};  // no brokers, no topics
  WireReader r(v0);
  m.decode(r, 0);
  CHECK(m == MetadataResponse{});
}

TEST_CASE("patch_int32 fills a reserved frame length", "[protocol]") {
  WireWriter w;
  w.write_int32(0);
  w.write_string("abc");
  w.patch_int32(0, static_cast<int32_t>(w.position() - 4));
  CHECK(w.buffer() == Bytes{0, 0, 0, 5, 0, 3, 'a', 'b', 'c'});
  CHECK_THROWS_AS(w.patch_int32(7, 1), std::invalid_argument);
  auto taken = w.take();
  CHECK(taken.size() == 9);
}

TEST_CASE("read_raw and expect_end", "[protocol]") {
  const Bytes b = {1, 2, 3};
  WireReader r(b);
  auto s = r.read_raw(2);
  CHECK(s.size() == 2);
  CHECK(s[1] == 2);
  CHECK_THROWS_AS(r.expect_end("x"), DecodeError);
  CHECK_THROWS_AS(r.read_raw(2), DecodeError);
  r.read_raw(1);
  r.expect_end("x");
}

TEST_CASE("Uuid base64 and random", "[protocol]") {
  Uuid zero;
  CHECK(zero.is_zero());
  CHECK(zero.to_base64() == "AAAAAAAAAAAAAAAAAAAAAA");
  Uuid u;
  for (size_t i = 0; i < 16; ++i) u.bytes[i] = static_cast<uint8_t>(0xf0 + i);
  // Kafka: Base64.getUrlEncoder().withoutPadding() of these 16 bytes.
  CHECK(u.to_base64() == "8PHy8_T19vf4-fr7_P3-_w");
  auto parsed = Uuid::from_base64(u.to_base64());
  REQUIRE(parsed.has_value());
  CHECK(*parsed == u);
  CHECK_FALSE(Uuid::from_base64("short").has_value());
  CHECK_FALSE(Uuid::from_base64("AAAAAAAAAAAAAAAAAAAA*A").has_value());
  for (int i = 0; i < 100; ++i) {
    Uuid a = Uuid::random();
    CHECK_FALSE(a.is_zero());
    CHECK(a.to_base64()[0] != '-');
    CHECK(a != Uuid::random());
    CHECK(Uuid::from_base64(a.to_base64()) == a);
  }
}
