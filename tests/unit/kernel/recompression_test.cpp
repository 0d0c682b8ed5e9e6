// Topic compression.type: batches in another codec are re-encoded before
// they are stored, with the topic's level; the rest of the batch is kept.
#include <catch2/catch.hpp>

#include "brokkr/sdk/record_batch.hpp"
#include "gzip_codec.hpp"
#include "partition/batch_validator.hpp"
#include "support/batch_builder.hpp"
#include "zstd_codec.hpp"

using namespace brokkr;
using partition::CompressionTarget;
using partition::validate_batches;
using protocol::ErrorCode;
namespace rb = sdk::record_batch;

namespace {
constexpr std::int64_t kNow = 1700000000500;

std::vector<test::TestRecord> text_records(int count) {
  std::vector<test::TestRecord> records;
  for (int i = 0; i < count; ++i) {
    records.push_back({"key-" + std::to_string(i), "the quick brown fox jumps over the lazy dog " + std::to_string(i),
                       i, {{"h", "v"}}});
  }
  return records;
}

std::span<const std::uint8_t> records_section(const std::vector<std::uint8_t>& batch) {
  return std::span<const std::uint8_t>(batch).subspan(rb::kHeaderSize);
}

// A batch of `records` compressed with `codec` (as a producer would send it).
std::vector<std::uint8_t> compressed_batch(const std::vector<test::TestRecord>& records, sdk::Codec& codec) {
  auto plain = test::build_batch(records);
  auto header = *rb::parse_header(plain);
  header.attributes = static_cast<std::int16_t>(codec.type());
  std::vector<std::uint8_t> compressed;
  codec.compress(records_section(plain), std::nullopt, compressed);
  std::vector<std::uint8_t> batch;
  rb::append_batch(header, compressed, batch);
  return batch;
}

struct Fixture {
  codecs::GzipCodec gzip;
  codecs::ZstdCodec zstd;
  partition::CodecSet codec_set;
  partition::ValidationSettings settings;
  Fixture() {
    codec_set.add(gzip);
    codec_set.add(zstd);
    settings.codecs = &codec_set;
  }
};
}  // namespace

TEST_CASE("an uncompressed batch is stored as zstd when the topic says zstd", "[recompression]") {
  Fixture f;
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::zstd, 19};
  auto records = test::build_batch(text_records(200), 1700000000000);
  auto original = records;
  auto result = validate_batches(records, f.settings, kNow);
  REQUIRE(result.ok());
  REQUIRE(result.rewritten);
  const auto& stored = *result.rewritten;
  auto header = rb::parse_header(stored);
  REQUIRE(header);
  CHECK(header->compression() == sdk::CompressionType::zstd);
  CHECK(header->total_size() == static_cast<std::int64_t>(stored.size()));
  CHECK(rb::crc_matches(stored));
  CHECK(header->record_count == 200);
  CHECK(header->last_offset_delta == 199);
  CHECK(header->base_timestamp == 1700000000000);
  CHECK(header->max_timestamp == 1700000000199);
  CHECK(header->producer_id == -1);
  CHECK(stored.size() < original.size() / 3);
  REQUIRE(result.batches.size() == 1);
  CHECK(result.batches[0].position == 0);
  CHECK(result.batches[0].size == stored.size());

  std::vector<std::uint8_t> decompressed;
  f.zstd.decompress(records_section(stored), 1 << 20, decompressed);
  auto expected = records_section(original);
  CHECK(std::equal(decompressed.begin(), decompressed.end(), expected.begin(), expected.end()));
}

TEST_CASE("the topic's level reaches the codec", "[recompression]") {
  Fixture f;
  auto sized = [&](int level) {
    f.settings.compression_target = CompressionTarget{sdk::CompressionType::gzip, level};
    auto records = test::build_batch(text_records(500));
    auto result = validate_batches(records, f.settings, kNow);
    REQUIRE(result.ok());
    REQUIRE(result.rewritten);
    return result.rewritten->size();
  };
  CHECK(sized(1) > sized(9));
}

TEST_CASE("a gzip batch is stored uncompressed when the topic says uncompressed", "[recompression]") {
  Fixture f;
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::none, std::nullopt};
  auto records = compressed_batch(text_records(50), f.gzip);
  auto result = validate_batches(records, f.settings, kNow);
  REQUIRE(result.ok());
  REQUIRE(result.rewritten);
  auto plain = test::build_batch(text_records(50));
  CHECK(*result.rewritten == plain);
}

TEST_CASE("LogAppendTime and re-encoding together", "[recompression]") {
  Fixture f;
  f.settings.log_append_time = true;
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::gzip, std::nullopt};
  auto records = test::build_batch(text_records(10));
  auto result = validate_batches(records, f.settings, kNow);
  REQUIRE(result.ok());
  REQUIRE(result.rewritten);
  auto header = rb::parse_header(*result.rewritten);
  CHECK(header->compression() == sdk::CompressionType::gzip);
  CHECK(header->log_append_time());
  CHECK(header->max_timestamp == kNow);
  CHECK(rb::crc_matches(*result.rewritten));
}

TEST_CASE("a batch already in the topic's codec is stored as it came", "[recompression]") {
  Fixture f;
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::gzip, 9};
  auto records = compressed_batch(text_records(20), f.gzip);
  auto original = records;
  auto result = validate_batches(records, f.settings, kNow);
  REQUIRE(result.ok());
  CHECK_FALSE(result.rewritten);
  CHECK(records == original);
}

TEST_CASE("several batches: the rewritten buffer holds all of them in order", "[recompression]") {
  Fixture f;
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::gzip, std::nullopt};
  auto first = compressed_batch(text_records(5), f.gzip);  // kept as it is
  auto second = test::build_batch(text_records(7));         // re-encoded
  auto third = compressed_batch(text_records(3), f.gzip);  // kept, copied after
  std::vector<std::uint8_t> records = first;
  records.insert(records.end(), second.begin(), second.end());
  records.insert(records.end(), third.begin(), third.end());
  auto result = validate_batches(records, f.settings, kNow);
  REQUIRE(result.ok());
  REQUIRE(result.rewritten);
  REQUIRE(result.batches.size() == 3);
  const auto& out = *result.rewritten;
  CHECK(std::equal(first.begin(), first.end(), out.begin()));
  CHECK(result.batches[1].position == first.size());
  auto middle = std::span<const std::uint8_t>(out).subspan(result.batches[1].position, result.batches[1].size);
  CHECK(rb::parse_header(middle)->compression() == sdk::CompressionType::gzip);
  CHECK(rb::crc_matches(middle));
  CHECK(result.batches[2].position == result.batches[1].position + result.batches[1].size);
  CHECK(std::equal(third.begin(), third.end(), out.begin() + static_cast<std::ptrdiff_t>(result.batches[2].position)));
  CHECK(out.size() == result.batches[2].position + third.size());
}

TEST_CASE("a topic codec without a loaded plugin is refused, not stored otherwise", "[recompression]") {
  Fixture f;
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::lz4, std::nullopt};
  auto records = test::build_batch(text_records(3));
  auto result = validate_batches(records, f.settings, kNow);
  CHECK(result.error == ErrorCode::unsupported_compression_type);
  CHECK_THAT(result.message, Catch::Contains("lz4"));
}

TEST_CASE("a batch that grows past max.message.bytes when re-encoded is refused", "[recompression]") {
  Fixture f;
  // Random-looking values do not compress; gzip adds its framing.
  std::vector<test::TestRecord> records;
  std::uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 20; ++i) {
    std::string value;
    for (int j = 0; j < 50; ++j) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      value.push_back(static_cast<char>(x));
    }
    records.push_back({std::nullopt, value, 0, {}});
  }
  auto batch = test::build_batch(records);
  f.settings.max_message_bytes = static_cast<std::int32_t>(batch.size());
  f.settings.compression_target = CompressionTarget{sdk::CompressionType::gzip, 1};
  auto result = validate_batches(batch, f.settings, kNow);
  CHECK(result.error == ErrorCode::message_too_large);
}

TEST_CASE("compression.type maps to a target and its level", "[recompression]") {
  std::map<std::string, std::string> configs = {{"compression.type", "producer"},
                                                {"compression.gzip.level", "-1"},
                                                {"compression.lz4.level", "9"},
                                                {"compression.zstd.level", "3"}};
  CHECK_FALSE(partition::compression_target_from(configs));
  configs["compression.type"] = "gzip";
  CHECK(partition::compression_target_from(configs) == CompressionTarget{sdk::CompressionType::gzip, std::nullopt});
  configs["compression.gzip.level"] = "4";
  CHECK(partition::compression_target_from(configs) == CompressionTarget{sdk::CompressionType::gzip, 4});
  configs["compression.type"] = "zstd";
  CHECK(partition::compression_target_from(configs) == CompressionTarget{sdk::CompressionType::zstd, 3});
  configs["compression.type"] = "lz4";
  CHECK(partition::compression_target_from(configs) == CompressionTarget{sdk::CompressionType::lz4, 9});
  configs["compression.type"] = "snappy";
  CHECK(partition::compression_target_from(configs) == CompressionTarget{sdk::CompressionType::snappy, std::nullopt});
  configs["compression.type"] = "uncompressed";
  CHECK(partition::compression_target_from(configs) == CompressionTarget{sdk::CompressionType::none, std::nullopt});
}
