#include <catch2/catch.hpp>

#include "brokkr/sdk/record_batch.hpp"
#include "partition/batch_validator.hpp"
#include "support/batch_builder.hpp"

using namespace brokkr;
using partition::validate_batches;
using protocol::ErrorCode;
namespace rb = sdk::record_batch;

namespace {
constexpr std::int64_t kNow = 1700000000500;

std::vector<std::uint8_t> two_batches() {
  auto a = test::build_batch({{"k1", "v1", 0, {{"h", "x"}}}, {"k2", "v2", 5, {}}});
  auto b = test::build_batch({{std::nullopt, "v3", 2, {}}});
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace

TEST_CASE("valid batches pass and get offsets assigned without touching the CRC", "[validator]") {
  auto records = two_batches();
  auto result = validate_batches(records, {}, kNow);
  REQUIRE(result.ok());
  REQUIRE(result.batches.size() == 2);
  CHECK(result.batches[0].record_count == 2);
  CHECK(result.batches[0].max_timestamp == 1700000000005);
  CHECK(result.batches[0].max_timestamp_offset_delta == 1);

  auto info = partition::assign_offsets(records, result, 100, 7);
  CHECK(info.base_offset == 100);
  CHECK(info.last_offset == 102);
  CHECK(info.record_count == 3);
  CHECK(info.max_timestamp == 1700000000005);
  CHECK(info.offset_of_max_timestamp == 101);
  auto first = rb::parse_header(records);
  auto second = rb::parse_header(std::span(records).subspan(result.batches[1].position));
  CHECK(first->base_offset == 100);
  CHECK(first->partition_leader_epoch == 7);
  CHECK(second->base_offset == 102);
  CHECK(rb::crc_matches(std::span(records).first(result.batches[0].size)));
}

TEST_CASE("damaged batches are refused with Kafka's error codes", "[validator]") {
  auto good = test::build_batch({{"k", "v", 0, {}}});
  auto check = [](std::vector<std::uint8_t> bytes, ErrorCode expected, partition::ValidationSettings s = {}) {
    auto result = validate_batches(bytes, s, kNow);
    CHECK(result.error == expected);
    CHECK_FALSE(result.message.empty());
  };
  auto bad_crc = good;
  bad_crc[bad_crc.size() - 5] ^= 0xFF;
  check(bad_crc, ErrorCode::corrupt_message);
  check(std::vector<std::uint8_t>(good.begin(), good.end() - 1), ErrorCode::corrupt_message);
  check(std::vector<std::uint8_t>(good.begin(), good.begin() + 30), ErrorCode::corrupt_message);
  auto lying = good;
  rb::store_be(lying.data() + rb::kBatchLengthPos, 0x7fffffff, 4);
  check(lying, ErrorCode::corrupt_message);
  auto old_magic = good;
  old_magic[rb::kMagicPos] = 1;
  check(old_magic, ErrorCode::unsupported_for_message_format);
  partition::ValidationSettings small;
  small.max_message_bytes = 20;
  check(good, ErrorCode::message_too_large, small);
  partition::ValidationSettings compacted;
  compacted.compacted = true;
  check(test::build_batch({{std::nullopt, "v", 0, {}}}), ErrorCode::invalid_record, compacted);
  check(test::build_batch({{"k", "v", 0, {}}}, 1700000000000, 1), ErrorCode::unsupported_compression_type);
  auto wrong_count = good;
  rb::store_be(wrong_count.data() + rb::kRecordCountPos, 2, 4);
  rb::store_be(wrong_count.data() + rb::kLastOffsetDeltaPos, 1, 4);
  rb::update_crc(wrong_count);
  check(wrong_count, ErrorCode::invalid_record);
  partition::ValidationSettings strict;
  strict.timestamp_before_max_ms = 100;
  check(good, ErrorCode::invalid_timestamp, strict);
  check({}, ErrorCode::corrupt_message);
}

TEST_CASE("LogAppendTime stamps the batch and keeps the CRC valid", "[validator]") {
  auto records = test::build_batch({{"k", "v", 0, {}}, {"k", "w", 3, {}}});
  partition::ValidationSettings s;
  s.log_append_time = true;
  auto result = validate_batches(records, s, kNow);
  REQUIRE(result.ok());
  auto header = rb::parse_header(records);
  CHECK(header->log_append_time());
  CHECK(header->max_timestamp == kNow);
  CHECK(rb::crc_matches(records));
}
