// __consumer_offsets records in Kafka's layout, the group -> partition
// hash, and the batches a group write appends: round trips of every record
// kind and version, exact bytes where Kafka's tools depend on them, and
// garbage that must be refused without crashing.
#include <catch2/catch.hpp>

#include <random>
#include <variant>

#include "brokkr/sdk/record_batch.hpp"
#include "groups/group_partitioner.hpp"
#include "groups/offsets_batch.hpp"
#include "groups/offsets_records.hpp"
#include "gzip_codec.hpp"
#include "protocol/decode_error.hpp"

using namespace brokkr;
using namespace brokkr::groups;
namespace rb = sdk::record_batch;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

CommittedOffset sample_offset() {
  CommittedOffset o;
  o.topic = "orders";
  o.partition = 7;
  o.offset = 123456789012;
  o.leader_epoch = 4;
  o.metadata = "checkpoint";
  o.commit_timestamp_ms = 1700000000123;
  return o;
}

StoredGroup sample_group() {
  StoredGroup g;
  g.group_id = "billing";
  g.protocol_type = "consumer";
  g.generation = 12;
  g.protocol = "range";
  g.leader = "consumer-1-abc";
  g.current_state_timestamp_ms = 1700000000999;
  StoredMember a;
  a.member_id = "consumer-1-abc";
  a.group_instance_id = "instance-a";
  a.client_id = "consumer-1";
  a.client_host = "/127.0.0.1";
  a.rebalance_timeout_ms = 300000;
  a.session_timeout_ms = 45000;
  a.subscription = {0, 1, 2, 3};
  a.assignment = {9, 8, 7};
  StoredMember b = a;
  b.member_id = "consumer-2-def";
  b.group_instance_id = std::nullopt;
  b.client_id = "consumer-2";
  b.subscription = {};
  b.assignment = {};
  g.members = {a, b};
  return g;
}

}  // namespace

// ---- group -> partition ---------------------------------------------------------

TEST_CASE("partition_for is Kafka's abs(String.hashCode) % partitions", "[groups][offsets-records]") {
  // "group": h = 31*h + c over g=103 r=114 o=111 u=117 p=112:
  // 103 -> 3307 -> 102628 -> 3181585 -> 98629247; 98629247 % 50 = 47.
  CHECK(java_string_hash("group") == 98629247);
  CHECK(offsets_partition_for("group", 50) == 47);
  CHECK(offsets_partition_for("group", 5) == 2);
  CHECK(java_string_hash("") == 0);
  CHECK(offsets_partition_for("", 50) == 0);
  // Non-ASCII: Java hashes UTF-16 code units. "grüße" is g r U+00FC U+00DF e:
  // ((((103*31+114)*31+252)*31+223)*31+101) = 98768023; % 50 = 23.
  CHECK(java_string_hash("gr\xc3\xbc\xc3\x9f" "e") == 98768023);
  CHECK(offsets_partition_for("gr\xc3\xbc\xc3\x9f" "e", 50) == 23);
  // Outside the BMP: U+1F600 is the surrogates D83D DE00 (55357, 56832):
  // 55357*31 + 56832 = 1772899; % 50 = 49.
  CHECK(java_string_hash("\xf0\x9f\x98\x80") == 1772899);
  CHECK(offsets_partition_for("\xf0\x9f\x98\x80", 50) == 49);
  // A negative hash: "gruppe-" + U+1F600 hashes to -593860811. Kafka's
  // Utils.abs gives 593860811 % 50 = 11 (masking with 0x7fffffff would give 37).
  CHECK(java_string_hash("gruppe-\xf0\x9f\x98\x80") == -593860811);
  CHECK(offsets_partition_for("gruppe-\xf0\x9f\x98\x80", 50) == 11);
  // Integer.MIN_VALUE (the classic "polygenelubricants"): Utils.abs maps it to 0.
  CHECK(java_string_hash("polygenelubricants") == std::numeric_limits<std::int32_t>::min());
  CHECK(offsets_partition_for("polygenelubricants", 50) == 0);
  CHECK(offsets_partition_for("polygenelubricants", 7) == 0);
}

TEST_CASE("malformed UTF-8 hashes as Java decodes it (U+FFFD)", "[groups][offsets-records]") {
  // 'a', 0xFF (never valid) -> U+FFFD, 'b': (97*31 + 65533)*31 + 98 = 2124838.
  CHECK(java_string_hash(std::string("a\xff" "b")) == 2124838);
  // A 3-byte sequence cut short by 'y': its two bytes become one U+FFFD.
  CHECK(java_string_hash(std::string("x\xe2\x82" "y")) == 2146964);
  // Any bytes at all: no crash, a partition in range.
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(random() % 12, '\0');
    for (auto& c : s) c = static_cast<char>(random());
    auto p = offsets_partition_for(s, 50);
    CHECK((p >= 0 && p < 50));
  }
}

// ---- keys -----------------------------------------------------------------------

TEST_CASE("keys are Kafka's OffsetCommitKey v1 and GroupMetadataKey v2", "[groups][offsets-records]") {
  CHECK(encode_offset_key("g", "t", 3) == bytes({0, 1, 0, 1, 'g', 0, 1, 't', 0, 0, 0, 3}));
  CHECK(encode_group_key("g") == bytes({0, 2, 0, 1, 'g'}));

  auto key = decode_key(encode_offset_key("my-group", "orders", 42));
  REQUIRE(std::holds_alternative<OffsetKey>(key));
  CHECK(std::get<OffsetKey>(key).group == "my-group");
  CHECK(std::get<OffsetKey>(key).topic == "orders");
  CHECK(std::get<OffsetKey>(key).partition == 42);

  auto group_key = decode_key(encode_group_key("my-group"));
  REQUIRE(std::holds_alternative<GroupKey>(group_key));
  CHECK(std::get<GroupKey>(group_key).group == "my-group");

  // v0 offset keys (Kafka 0.8.2-era) have the same fields.
  auto v0 = decode_key(bytes({0, 0, 0, 1, 'g', 0, 1, 't', 0, 0, 0, 3}));
  REQUIRE(std::holds_alternative<OffsetKey>(v0));
  CHECK(std::get<OffsetKey>(v0).partition == 3);

  // Newer record kinds (v3+: KIP-848 groups, share groups) are not errors.
  auto newer = decode_key(bytes({0, 3, 0, 1, 'g'}));
  REQUIRE(std::holds_alternative<UnknownKey>(newer));
  CHECK(std::get<UnknownKey>(newer).version == 3);

  CHECK_THROWS_AS(decode_key(bytes({0xff, 0xff, 0, 1, 'g'})), protocol::DecodeError);
  CHECK_THROWS_AS(decode_key(bytes({0, 1, 0, 1, 'g', 0, 1})), protocol::DecodeError);
  CHECK_THROWS_AS(decode_key(bytes({0, 2, 0xff, 0xff})), protocol::DecodeError);  // null group
  CHECK_THROWS_AS(decode_key(bytes({0})), protocol::DecodeError);
  CHECK_THROWS_AS(decode_key(Bytes{}), protocol::DecodeError);
}

// ---- offset values --------------------------------------------------------------

TEST_CASE("OffsetCommitValue v3 has Kafka's exact layout", "[groups][offsets-records]") {
  CommittedOffset o;
  o.offset = 5;
  o.leader_epoch = 2;
  o.metadata = "m";
  o.commit_timestamp_ms = 0x0102030405;
  CHECK(offset_value_version(o) == 3);
  CHECK(encode_offset_value(o, 3) == bytes({0, 3,                        // version
                                            0, 0, 0, 0, 0, 0, 0, 5,      // offset
                                            0, 0, 0, 2,                  // leader epoch
                                            0, 1, 'm',                   // metadata
                                            0, 0, 0, 1, 2, 3, 4, 5}));   // commit timestamp
  o.expire_timestamp_ms = 9;
  CHECK(offset_value_version(o) == 1);
  CHECK(encode_offset_value(o, 1) == bytes({0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 1, 'm', 0, 0, 0, 1, 2, 3, 4, 5,
                                            0, 0, 0, 0, 0, 0, 0, 9}));
}

TEST_CASE("OffsetCommitValue round trips at every version", "[groups][offsets-records]") {
  OffsetKey key{"g", "orders", 7};
  for (std::int16_t version = 0; version <= 4; ++version) {
    INFO("version " << version);
    CommittedOffset o = sample_offset();
    if (version == 1) o.expire_timestamp_ms = 1700000099999;
    auto encoded = encode_offset_value(o, version);
    CHECK(encoded[1] == version);
    CommittedOffset back = decode_offset_value(encoded, key);
    CHECK(back.topic == "orders");
    CHECK(back.partition == 7);
    CHECK(back.offset == o.offset);
    CHECK(back.metadata == o.metadata);
    CHECK(back.commit_timestamp_ms == o.commit_timestamp_ms);
    CHECK(back.leader_epoch == (version >= 3 ? 4 : -1));
    CHECK(back.expire_timestamp_ms == (version == 1 ? o.expire_timestamp_ms : std::nullopt));
  }
  // Null metadata is stored as "", as Kafka does.
  CommittedOffset o = sample_offset();
  o.metadata = std::nullopt;
  CHECK(decode_offset_value(encode_offset_value(o, 3), key).metadata == std::string());
  // v1 with expire -1 means "no expiry".
  o.expire_timestamp_ms = std::nullopt;
  CHECK_FALSE(decode_offset_value(encode_offset_value(o, 1), key).expire_timestamp_ms);
  CHECK_THROWS_AS(encode_offset_value(o, 5), std::invalid_argument);
}

TEST_CASE("a value version past 4 reads as v4, skipping its tagged fields", "[groups][offsets-records]") {
  OffsetKey key{"g", "t", 0};
  auto v4 = encode_offset_value(sample_offset(), 4);
  // Replace the empty tagged-field section with one unknown tag (7, 2 bytes).
  v4.back() = 1;
  v4.insert(v4.end(), {7, 2, 0xAB, 0xCD});
  v4[1] = 6;  // a future version
  CommittedOffset back = decode_offset_value(v4, key);
  CHECK(back.offset == sample_offset().offset);
  CHECK(back.metadata == "checkpoint");
}

// ---- group values ---------------------------------------------------------------

TEST_CASE("GroupMetadataValue round trips at every version", "[groups][offsets-records]") {
  StoredGroup g = sample_group();
  for (std::int16_t version = 0; version <= 4; ++version) {
    INFO("version " << version);
    auto encoded = encode_group_value(g, version);
    CHECK(encoded[1] == version);
    StoredGroup back = decode_group_value(encoded, "billing");
    CHECK(back.group_id == "billing");
    CHECK(back.protocol_type == "consumer");
    CHECK(back.generation == 12);
    CHECK(back.protocol == "range");
    CHECK(back.leader == "consumer-1-abc");
    CHECK(back.current_state_timestamp_ms == (version >= 2 ? g.current_state_timestamp_ms : -1));
    REQUIRE(back.members.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& m = back.members[i];
      const auto& want = g.members[i];
      CHECK(m.member_id == want.member_id);
      CHECK(m.group_instance_id == (version >= 3 ? want.group_instance_id : std::nullopt));
      CHECK(m.client_id == want.client_id);
      CHECK(m.client_host == want.client_host);
      // v0 has no rebalance timeout: Kafka reads the session timeout.
      CHECK(m.rebalance_timeout_ms == (version >= 1 ? want.rebalance_timeout_ms : want.session_timeout_ms));
      CHECK(m.session_timeout_ms == want.session_timeout_ms);
      CHECK(m.subscription == want.subscription);
      CHECK(m.assignment == want.assignment);
    }
  }
  CHECK_THROWS_AS(encode_group_value(g, -1), std::invalid_argument);
}

TEST_CASE("an empty group (no protocol, no leader, no members) round trips", "[groups][offsets-records]") {
  StoredGroup g;
  g.group_id = "empty";
  g.generation = 3;
  auto encoded = encode_group_value(g, kGroupValueVersion);
  // version 3, "" protocol type, generation, null protocol, null leader,
  // timestamp -1, zero members.
  CHECK(encoded == bytes({0, 3, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                          0xff, 0xff, 0, 0, 0, 0}));
  StoredGroup back = decode_group_value(encoded, "empty");
  CHECK(back.protocol_type.empty());
  CHECK_FALSE(back.protocol);
  CHECK_FALSE(back.leader);
  CHECK(back.members.empty());
}

// ---- garbage --------------------------------------------------------------------

TEST_CASE("truncated and random values are refused with DecodeError, never a crash",
          "[groups][offsets-records]") {
  OffsetKey key{"g", "t", 0};
  std::vector<Bytes> samples;
  for (std::int16_t v = 0; v <= 4; ++v) {
    samples.push_back(encode_offset_value(sample_offset(), v));
  }
  std::vector<Bytes> groups;
  for (std::int16_t v = 0; v <= 4; ++v) groups.push_back(encode_group_value(sample_group(), v));
  for (const auto& full : samples) {
    for (std::size_t n = 0; n < full.size(); ++n) {
      CHECK_THROWS_AS(decode_offset_value(std::span(full).first(n), key), protocol::DecodeError);
    }
  }
  for (const auto& full : groups) {
    for (std::size_t n = 0; n < full.size(); ++n) {
      CHECK_THROWS_AS(decode_group_value(std::span(full).first(n), "g"), protocol::DecodeError);
    }
  }
  // A member count of 2^31-1 in a few bytes is refused before anything is allocated.
  CHECK_THROWS_AS(decode_group_value(bytes({0, 3, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0,
                                            0x7f, 0xff, 0xff, 0xff}),
                                     "g"),
                  protocol::DecodeError);
  CHECK_THROWS_AS(decode_offset_value(bytes({0xff, 0xfe, 0, 0}), key), protocol::DecodeError);

  // Random bytes and random corruptions of real values: decoded or refused.
  std::mt19937 random(11);
  for (int i = 0; i < 5000; ++i) {
    Bytes data = (i % 2 ? groups : samples)[random() % 5];
    if (i % 3 == 0) {
      data.resize(random() % 64);
      for (auto& b : data) b = static_cast<std::uint8_t>(random());
    } else {
      for (int k = 0; k < 3; ++k) data[random() % data.size()] = static_cast<std::uint8_t>(random());
    }
    try {
      (void)decode_key(data);
      (void)decode_offset_value(data, key);
    } catch (const protocol::DecodeError&) {
    }
    try {
      (void)decode_group_value(data, "g");
    } catch (const protocol::DecodeError&) {
    }
  }
}

// ---- batches --------------------------------------------------------------------

TEST_CASE("a group write is one valid uncompressed batch, tombstones as null values",
          "[groups][offsets-records]") {
  std::vector<KeyValue> records;
  records.push_back({encode_offset_key("g", "t", 0), encode_offset_value(sample_offset(), 3)});
  records.push_back({encode_offset_key("g", "t", 1), std::nullopt});
  records.push_back({encode_group_key("g"), encode_group_value(sample_group(), 3)});
  auto batch = build_offsets_batch(records, 1700000000000);
  auto header = rb::parse_header(batch);
  REQUIRE(header);
  CHECK(header->total_size() == static_cast<std::int64_t>(batch.size()));
  CHECK(header->magic == 2);
  CHECK(rb::crc_matches(batch));
  CHECK(header->record_count == 3);
  CHECK(header->last_offset_delta == 2);
  CHECK(header->compression() == sdk::CompressionType::none);
  CHECK(header->producer_id == -1);
  CHECK(header->base_timestamp == 1700000000000);

  std::vector<std::int64_t> offsets;
  std::vector<KeyValue> seen;
  for_each_record(batch, *header, nullptr, 1 << 20, [&](std::int64_t offset, auto key, auto value) {
    offsets.push_back(offset);
    KeyValue kv;
    kv.key.assign(key->begin(), key->end());
    if (value) kv.value.emplace(value->begin(), value->end());
    seen.push_back(std::move(kv));
  });
  CHECK(offsets == std::vector<std::int64_t>{0, 1, 2});
  REQUIRE(seen.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(seen[i].key == records[i].key);
    CHECK(seen[i].value == records[i].value);
  }
}

TEST_CASE("compressed batches are read through the codec set", "[groups][offsets-records]") {
  codecs::GzipCodec gzip;
  partition::CodecSet codec_set;
  codec_set.add(gzip);
  auto plain = build_offsets_batch({{encode_group_key("g"), std::nullopt}}, 1);
  auto header = *rb::parse_header(plain);
  header.attributes = static_cast<std::int16_t>(sdk::CompressionType::gzip);
  Bytes compressed;
  gzip.compress(std::span(plain).subspan(rb::kHeaderSize), std::nullopt, compressed);
  Bytes batch;
  rb::append_batch(header, compressed, batch);
  header = *rb::parse_header(batch);

  int count = 0;
  for_each_record(batch, header, &codec_set, 1 << 20, [&](std::int64_t, auto key, auto value) {
    ++count;
    CHECK(Bytes(key->begin(), key->end()) == encode_group_key("g"));
    CHECK_FALSE(value);
  });
  CHECK(count == 1);
  CHECK_THROWS(for_each_record(batch, header, nullptr, 1 << 20, [](std::int64_t, auto, auto) {}));
}
