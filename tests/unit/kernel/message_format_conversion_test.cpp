// Legacy message sets <-> record batches: round trips legacy -> v2 -> legacy
// for magic 0 and 1, plain and compressed (gzip, lz4 with magic 0's broken
// header checksum), timestamps, and bad input: CRC, truncation, lying
// sizes, nested and empty wrappers, missing codecs, zstd, bombs. Down
// conversion: limits, fetch offset inside a batch, headers, control and
// zstd batches.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "brokkr/sdk/record_batch.hpp"
#include "brokkr/sdk/records.hpp"
#include "gzip_codec.hpp"
#include "lz4_codec.hpp"
#include "partition/batch_validator.hpp"
#include "partition/message_format_conversion.hpp"
#include "support/batch_builder.hpp"
#include "support/legacy_builder.hpp"
#include "zstd_codec.hpp"

using namespace brokkr;
using partition::ConversionCodecs;
using partition::to_message_set;
using partition::to_record_batch;
using protocol::ErrorCode;
using test::Bytes;
using test::LegacySpec;
using test::LegacyView;
namespace rb = sdk::record_batch;
namespace legacy = protocol::legacy;

namespace {

constexpr std::int64_t kTs = 1700000000000;

struct Codecs {
  codecs::GzipCodec gzip;
  codecs::Lz4Codec lz4;
  codecs::ZstdCodec zstd;
  partition::CodecSet set;
  ConversionCodecs conversion;
  Codecs() {
    set.add(gzip);
    set.add(lz4);
    set.add(zstd);
    conversion.codecs = &set;
    conversion.max_decompressed_bytes = 1 << 20;
  }
};

struct V2Record {
  std::int64_t offset;
  std::int64_t timestamp;
  std::optional<std::string> key;
  std::optional<std::string> value;
  bool operator==(const V2Record&) const = default;
};

// The records of one v2 batch (decompressed with `codecs` when needed).
std::vector<V2Record> read_batch(const Bytes& batch, Codecs& codecs) {
  auto header = rb::parse_header(batch);
  REQUIRE(header);
  REQUIRE(header->total_size() == static_cast<std::int64_t>(batch.size()));
  REQUIRE(rb::crc_matches(batch));
  std::span<const std::uint8_t> records = std::span(batch).subspan(rb::kHeaderSize);
  Bytes decompressed;
  if (header->compression() != sdk::CompressionType::none) {
    codecs.set.find(header->compression())->decompress(records, 64 << 20, decompressed);
    records = decompressed;
  }
  std::vector<V2Record> out;
  sdk::records::Cursor cursor(records);
  while (!cursor.done()) {
    auto r = sdk::records::next_record(cursor);
    std::int64_t ts = header->log_append_time() ? header->max_timestamp : header->base_timestamp + r.timestamp_delta;
    out.push_back({header->base_offset + r.offset_delta, ts, test::as_string(r.key), test::as_string(r.value)});
  }
  CHECK(out.size() == static_cast<std::size_t>(header->record_count));
  return out;
}

std::vector<LegacySpec> sample(int count, std::int64_t first_offset = 0) {
  std::vector<LegacySpec> out;
  for (int i = 0; i < count; ++i) {
    std::optional<std::string> key = "key-" + std::to_string(i);
    std::optional<std::string> value = "value " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 7), 'x');
    if (i == 1) key = std::nullopt;
    if (i == 2) value = std::nullopt;
    out.push_back({first_offset + i, key, value, kTs + i * 10, 0});
  }
  return out;
}

// The v2 batch must pass the broker's own validation (what Produce does next).
void expect_valid(Bytes batch, Codecs& codecs) {
  partition::ValidationSettings settings;
  settings.codecs = &codecs.set;
  auto validated = partition::validate_batches(batch, settings, kTs);
  INFO(validated.message);
  CHECK(validated.ok());
}

// Legacy -> v2 (offsets assigned from `base`) -> legacy of the same magic.
std::vector<LegacyView> round_trip(const Bytes& set, std::int8_t magic, Codecs& codecs, std::int64_t base = 100) {
  auto up = to_record_batch(set, codecs.conversion);
  INFO(up.message);
  REQUIRE(up.ok());
  rb::set_base_offset(up.bytes, base);
  auto down = to_message_set(up.bytes, magic, base, 1 << 20, codecs.conversion);
  REQUIRE(down.ok());
  return test::read_legacy(down.bytes);
}

}  // namespace

TEST_CASE("uncompressed legacy sets round trip through one v2 batch", "[legacy-conversion]") {
  Codecs codecs;
  auto specs = sample(5);
  for (std::int8_t magic : {0, 1}) {
    INFO("magic " << int(magic));
    Bytes set = test::legacy_set(magic, specs);
    auto up = to_record_batch(set, codecs.conversion);
    REQUIRE(up.ok());
    auto header = rb::parse_header(up.bytes);
    CHECK(header->magic == 2);
    CHECK(header->record_count == 5);
    CHECK(header->last_offset_delta == 4);
    CHECK(header->compression() == sdk::CompressionType::none);
    CHECK_FALSE(header->log_append_time());
    CHECK(header->producer_id == -1);
    CHECK(header->base_sequence == -1);
    // Magic 0 has no timestamps: -1 (CreateTime), as Kafka up-converts.
    CHECK(header->base_timestamp == (magic == 0 ? -1 : kTs));
    CHECK(header->max_timestamp == (magic == 0 ? -1 : kTs + 40));
    expect_valid(up.bytes, codecs);

    auto records = read_batch(up.bytes, codecs);
    REQUIRE(records.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
      CHECK(records[i].offset == static_cast<std::int64_t>(i));
      CHECK(records[i].key == specs[i].key);
      CHECK(records[i].value == specs[i].value);
      CHECK(records[i].timestamp == (magic == 0 ? -1 : specs[i].timestamp));
    }

    auto back = round_trip(set, magic, codecs, 100);
    REQUIRE(back.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
      CHECK(back[i] == LegacyView{100 + static_cast<std::int64_t>(i), magic, 0,
                                  magic == 0 ? -1 : specs[i].timestamp, specs[i].key, specs[i].value});
    }
  }
}

TEST_CASE("compressed wrappers keep the producer's codec", "[legacy-conversion]") {
  Codecs codecs;
  auto specs = sample(20);

  SECTION("magic 1 gzip wrapper: relative inner offsets, wrapper offset = last inner") {
    Bytes inner = test::legacy_set(1, sample(20, 0));
    Bytes set = test::legacy_wrapper(1, 19, codecs.gzip, inner, kTs + 190);
    auto up = to_record_batch(set, codecs.conversion);
    REQUIRE(up.ok());
    auto header = rb::parse_header(up.bytes);
    CHECK(header->compression() == sdk::CompressionType::gzip);
    CHECK(header->record_count == 20);
    CHECK_FALSE(header->log_append_time());
    expect_valid(up.bytes, codecs);
    auto records = read_batch(up.bytes, codecs);
    REQUIRE(records.size() == 20);
    for (std::size_t i = 0; i < 20; ++i) {
      CHECK(records[i] == V2Record{static_cast<std::int64_t>(i), specs[i].timestamp, specs[i].key, specs[i].value});
    }
    auto back = round_trip(set, 1, codecs, 1000);
    REQUIRE(back.size() == 20);
    CHECK(back[19] == LegacyView{1019, 1, 0, specs[19].timestamp, specs[19].key, specs[19].value});
  }
  SECTION("magic 0 gzip wrapper: absolute inner offsets") {
    Bytes inner = test::legacy_set(0, sample(20, 5000));
    Bytes set = test::legacy_wrapper(0, 5019, codecs.gzip, inner);
    auto up = to_record_batch(set, codecs.conversion);
    REQUIRE(up.ok());
    CHECK(rb::parse_header(up.bytes)->compression() == sdk::CompressionType::gzip);
    CHECK(rb::parse_header(up.bytes)->base_timestamp == -1);
    expect_valid(up.bytes, codecs);
    auto back = round_trip(set, 0, codecs, 7);
    REQUIRE(back.size() == 20);
    for (std::size_t i = 0; i < 20; ++i) {
      CHECK(back[i] == LegacyView{7 + static_cast<std::int64_t>(i), 0, 0, -1, specs[i].key, specs[i].value});
    }
  }
  SECTION("magic 1 LogAppendTime wrapper: its timestamp for every record, the bit kept") {
    Bytes inner = test::legacy_set(1, sample(3, 0));
    Bytes set = test::legacy_wrapper(1, 2, codecs.gzip, inner, kTs + 999, legacy::kTimestampTypeBit);
    auto up = to_record_batch(set, codecs.conversion);
    REQUIRE(up.ok());
    auto header = rb::parse_header(up.bytes);
    CHECK(header->log_append_time());
    CHECK(header->max_timestamp == kTs + 999);
    for (const auto& r : read_batch(up.bytes, codecs)) CHECK(r.timestamp == kTs + 999);
    auto back = round_trip(set, 1, codecs, 0);
    REQUIRE(back.size() == 3);
    for (const auto& m : back) {
      CHECK(m.timestamp == kTs + 999);
      CHECK(m.attributes == legacy::kTimestampTypeBit);
    }
  }
  SECTION("several wrappers and plain messages become one batch") {
    Bytes set = test::legacy_wrapper(1, 1, codecs.gzip, test::legacy_set(1, {specs[0], specs[1]}));
    Bytes plain = test::legacy_set(1, {specs[2]});
    set.insert(set.end(), plain.begin(), plain.end());
    Bytes second = test::legacy_wrapper(1, 1, codecs.gzip, test::legacy_set(1, {specs[3], specs[4]}));
    set.insert(set.end(), second.begin(), second.end());
    auto up = to_record_batch(set, codecs.conversion);
    REQUIRE(up.ok());
    CHECK(rb::parse_header(up.bytes)->compression() == sdk::CompressionType::gzip);
    auto records = read_batch(up.bytes, codecs);
    REQUIRE(records.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) CHECK(records[i].value == specs[i].value);
  }
  SECTION("magic 0 lz4 with the old broken header checksum is read; magic 1 must be right") {
    Bytes inner = test::legacy_set(0, sample(4, 0));
    Bytes frame;
    codecs.lz4.compress(inner, std::nullopt, frame);
    REQUIRE(frame.size() > 7);
    const std::size_t hc = 4 + 2 + ((frame[4] & 0x08) ? 8 : 0);
    frame[hc] ^= 0x5A;  // what the KAFKA-3160 clients write differs from the right byte
    for (std::int8_t magic : {0, 1}) {
      legacy::Message m;
      m.magic = magic;
      m.offset = 3;
      m.attributes = static_cast<std::int8_t>(sdk::CompressionType::lz4);
      m.timestamp = magic == 0 ? -1 : kTs;
      m.value = std::span<const std::uint8_t>(frame);
      Bytes set;
      legacy::append_message(m, set);
      if (magic == 1) {
        // Inner magic 0 in a magic 1 wrapper would fail anyway: only the
        // checksum is under test, so the outcome must be CORRUPT_MESSAGE.
        CHECK(to_record_batch(set, codecs.conversion).error == ErrorCode::corrupt_message);
        continue;
      }
      auto up = to_record_batch(set, codecs.conversion);
      INFO(up.message);
      REQUIRE(up.ok());
      CHECK(rb::parse_header(up.bytes)->compression() == sdk::CompressionType::lz4);
      CHECK(read_batch(up.bytes, codecs).size() == 4);
    }
  }
}

TEST_CASE("bad legacy input is refused with Kafka's errors", "[legacy-conversion]") {
  Codecs codecs;
  Bytes good = test::legacy_set(1, sample(3));
  REQUIRE(to_record_batch(good, codecs.conversion).ok());
  auto error_of = [&](const Bytes& set) { return to_record_batch(set, codecs.conversion).error; };

  SECTION("bad CRC") {
    Bytes bad = good;
    bad[40] ^= 0xFF;
    CHECK(error_of(bad) == ErrorCode::corrupt_message);
  }
  SECTION("truncated anywhere but between messages") {
    std::set<std::size_t> boundaries;
    std::size_t at = 0;
    for (const auto& s : sample(3)) {
      at += legacy::entry_size(1, s.key ? s.key->size() : 0, s.value ? s.value->size() : 0);
      boundaries.insert(at);
    }
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
      INFO("cut at " << cut);
      auto result = to_record_batch(std::span(good).first(cut), codecs.conversion);
      CHECK(result.ok() == (boundaries.count(cut) == 1));
      if (!result.ok()) CHECK(result.error == ErrorCode::corrupt_message);
    }
  }
  SECTION("lying message size") {
    Bytes bad = good;
    bad[8] = 0x7F;
    CHECK(error_of(bad) == ErrorCode::corrupt_message);
  }
  SECTION("nested wrappers") {
    Bytes innermost = test::legacy_set(1, sample(2));
    Bytes nested = test::legacy_wrapper(1, 0, codecs.gzip, innermost);
    Bytes set = test::legacy_wrapper(1, 0, codecs.gzip, nested);
    CHECK(error_of(set) == ErrorCode::invalid_record);
  }
  SECTION("a wrapper with nothing inside, or a null value") {
    CHECK(error_of(test::legacy_wrapper(1, 0, codecs.gzip, {})) == ErrorCode::invalid_record);
    legacy::Message m;
    m.magic = 1;
    m.attributes = 1;
    Bytes set;
    legacy::append_message(m, set);
    CHECK(error_of(set) == ErrorCode::invalid_record);
  }
  SECTION("inner magic differs from its wrapper's") {
    CHECK(error_of(test::legacy_wrapper(1, 0, codecs.gzip, test::legacy_set(0, sample(2)))) ==
          ErrorCode::invalid_record);
  }
  SECTION("a wrapper whose value is not gzip") {
    Bytes junk = test::legacy_set(1, {{0, std::nullopt, "not gzip at all", kTs, 1}});
    CHECK(error_of(junk) == ErrorCode::corrupt_message);
  }
  SECTION("an inner set that is garbage") {
    Bytes garbage(100, 0xAB);
    CHECK(error_of(test::legacy_wrapper(1, 0, codecs.gzip, garbage)) == ErrorCode::corrupt_message);
  }
  SECTION("zstd cannot be in message format < 2") {
    auto result = to_record_batch(test::legacy_wrapper(1, 0, codecs.zstd, test::legacy_set(1, sample(2))),
                                  codecs.conversion);
    CHECK(result.error == ErrorCode::unsupported_compression_type);
    CHECK_FALSE(result.missing_codec);
  }
  SECTION("a codec with no plugin loaded") {
    partition::CodecSet only_lz4;
    only_lz4.add(codecs.lz4);
    auto result = to_record_batch(test::legacy_wrapper(1, 0, codecs.gzip, test::legacy_set(1, sample(2))),
                                  {&only_lz4, 1 << 20});
    CHECK(result.error == ErrorCode::unsupported_compression_type);
    CHECK(result.missing_codec);
    CHECK(to_record_batch(test::legacy_wrapper(1, 0, codecs.gzip, test::legacy_set(1, sample(2))), {nullptr, 1 << 20})
              .error == ErrorCode::unsupported_compression_type);
  }
  SECTION("unknown codec id") {
    CHECK(error_of(test::legacy_set(1, {{0, "k", "v", kTs, 6}})) == ErrorCode::corrupt_message);
  }
  SECTION("magic 1 timestamps below -1") {
    CHECK(error_of(test::legacy_set(1, {{0, "k", "v", -5, 0}})) == ErrorCode::invalid_timestamp);
    CHECK(to_record_batch(test::legacy_set(1, {{0, "k", "v", -1, 0}}), codecs.conversion).ok());
  }
  SECTION("decompression bomb: bounded per set, not per wrapper") {
    Bytes zeros(8 << 20, 0);
    legacy::Message big;
    big.magic = 1;
    big.timestamp = kTs;
    big.value = std::span<const std::uint8_t>(zeros);
    Bytes inner;
    legacy::append_message(big, inner);
    Bytes bomb = test::legacy_wrapper(1, 0, codecs.gzip, inner);
    CHECK(bomb.size() < 64 * 1024);
    CHECK(error_of(bomb) == ErrorCode::corrupt_message);

    // Two wrappers of 600 KiB each: each under the 1 MiB bound, together over it.
    Bytes part(600 << 10, 'a');
    legacy::Message m = big;
    m.value = std::span<const std::uint8_t>(part);
    Bytes inner_part;
    legacy::append_message(m, inner_part);
    Bytes one = test::legacy_wrapper(1, 0, codecs.gzip, inner_part);
    REQUIRE(to_record_batch(one, codecs.conversion).ok());
    Bytes two = one;
    two.insert(two.end(), one.begin(), one.end());
    CHECK(error_of(two) == ErrorCode::corrupt_message);
  }
  SECTION("flipped bytes never crash: an error, or (offsets only, which the broker reassigns) the same batch") {
    const Bytes expected = to_record_batch(good, codecs.conversion).bytes;
    std::mt19937 rng(7);
    int refused = 0;
    for (int round = 0; round < 1000; ++round) {
      Bytes noise = good;
      for (int flips = 0; flips < 3; ++flips) noise[rng() % noise.size()] = static_cast<std::uint8_t>(rng());
      auto result = to_record_batch(noise, codecs.conversion);
      if (result.ok()) {
        CHECK(result.bytes == expected);
      } else {
        ++refused;
      }
    }
    CHECK(refused > 500);
  }
}

TEST_CASE("down-conversion of stored batches for Fetch v0-3", "[legacy-conversion]") {
  Codecs codecs;
  // Two stored batches: offsets 10-12 (with headers) and 13-14.
  auto first = test::build_batch({{"a", "1", 0, {{"h", "x"}}}, {"b", "2", 5, {}}, {std::nullopt, "3", 9, {}}}, kTs);
  rb::set_base_offset(first, 10);
  auto second = test::build_batch({{"d", "4", 0, {}}, {"e", std::nullopt, 1, {}}}, kTs + 100);
  rb::set_base_offset(second, 13);
  Bytes stored = first;
  stored.insert(stored.end(), second.begin(), second.end());

  SECTION("magic 1 keeps timestamps, magic 0 has none; headers dropped; offsets absolute") {
    auto v1 = to_message_set(stored, 1, 10, 1 << 20, codecs.conversion);
    REQUIRE(v1.ok());
    auto messages = test::read_legacy(v1.bytes);
    REQUIRE(messages.size() == 5);
    CHECK(messages[0] == LegacyView{10, 1, 0, kTs, "a", "1"});
    CHECK(messages[2] == LegacyView{12, 1, 0, kTs + 9, std::nullopt, "3"});
    CHECK(messages[4] == LegacyView{14, 1, 0, kTs + 101, "e", std::nullopt});
    auto v0 = to_message_set(stored, 0, 10, 1 << 20, codecs.conversion);
    REQUIRE(v0.ok());
    auto old = test::read_legacy(v0.bytes);
    REQUIRE(old.size() == 5);
    CHECK(old[1] == LegacyView{11, 0, 0, -1, "b", "2"});
  }
  SECTION("a fetch offset inside a batch skips the records before it") {
    auto result = to_message_set(stored, 1, 12, 1 << 20, codecs.conversion);
    auto messages = test::read_legacy(result.bytes);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].offset == 12);
  }
  SECTION("the byte limit cuts at whole messages, but one always goes out") {
    const std::size_t one = legacy::entry_size(1, 1, 1);
    auto tiny = to_message_set(stored, 1, 10, 1, codecs.conversion);
    REQUIRE(test::read_legacy(tiny.bytes).size() == 1);
    auto two = to_message_set(stored, 1, 10, 2 * one + 3, codecs.conversion);
    CHECK(test::read_legacy(two.bytes).size() == 2);
    CHECK(two.bytes.size() <= 2 * one + 3);
  }
  SECTION("LogAppendTime batches give max_timestamp and the attribute bit") {
    auto lat = test::build_batch({{"k", "v", 0, {}}, {"k", "w", 3, {}}}, kTs, rb::kTimestampTypeBit);
    rb::set_max_timestamp(lat, kTs + 5000);
    rb::update_crc(lat);
    auto messages = test::read_legacy(to_message_set(lat, 1, 0, 1 << 20, codecs.conversion).bytes);
    REQUIRE(messages.size() == 2);
    for (const auto& m : messages) {
      CHECK(m.timestamp == kTs + 5000);
      CHECK(m.attributes == legacy::kTimestampTypeBit);
    }
  }
  SECTION("control batches are skipped") {
    auto control = test::build_batch({{"ctl", "x", 0, {}}}, kTs, rb::kControlBit);
    rb::set_base_offset(control, 15);
    Bytes with_control = stored;
    with_control.insert(with_control.end(), control.begin(), control.end());
    auto messages = test::read_legacy(to_message_set(with_control, 1, 10, 1 << 20, codecs.conversion).bytes);
    REQUIRE(messages.size() == 5);
    CHECK(messages.back().offset == 14);
  }
  SECTION("compressed batches come out uncompressed") {
    auto plain = test::build_batch({{"z", "compressed one", 0, {}}, {"y", "compressed two", 1, {}}}, kTs);
    auto header = *rb::parse_header(plain);
    header.base_offset = 40;
    header.attributes = static_cast<std::int16_t>(sdk::CompressionType::gzip);
    Bytes compressed;
    codecs.gzip.compress(std::span(plain).subspan(rb::kHeaderSize), std::nullopt, compressed);
    Bytes batch;
    rb::append_batch(header, compressed, batch);
    auto result = to_message_set(batch, 1, 40, 1 << 20, codecs.conversion);
    REQUIRE(result.ok());
    auto messages = test::read_legacy(result.bytes);
    REQUIRE(messages.size() == 2);
    CHECK(messages[1] == LegacyView{41, 1, 0, kTs + 1, "y", "compressed two"});
  }
  SECTION("zstd: an error when first, the end of the set when later") {
    auto plain = test::build_batch({{"z", "zstd", 0, {}}}, kTs);
    auto header = *rb::parse_header(plain);
    header.base_offset = 15;
    header.attributes = static_cast<std::int16_t>(sdk::CompressionType::zstd);
    Bytes compressed;
    codecs.zstd.compress(std::span(plain).subspan(rb::kHeaderSize), std::nullopt, compressed);
    Bytes zstd_batch;
    rb::append_batch(header, compressed, zstd_batch);
    auto alone = to_message_set(zstd_batch, 1, 15, 1 << 20, codecs.conversion);
    CHECK(alone.error == ErrorCode::unsupported_compression_type);
    CHECK(alone.bytes.empty());
    Bytes after = stored;
    after.insert(after.end(), zstd_batch.begin(), zstd_batch.end());
    auto partial = to_message_set(after, 1, 10, 1 << 20, codecs.conversion);
    CHECK(partial.ok());
    CHECK(test::read_legacy(partial.bytes).size() == 5);
  }
  SECTION("a partial batch at the end is left out") {
    auto result = to_message_set(std::span(stored).first(stored.size() - 3), 1, 10, 1 << 20, codecs.conversion);
    CHECK(result.ok());
    CHECK(test::read_legacy(result.bytes).size() == 3);
  }
}
