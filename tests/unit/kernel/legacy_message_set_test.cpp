// Legacy messages (magic 0 and 1): CRC-32, writing and reading entries, and
// every kind of malformed input refused with a DecodeError.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "protocol/decode_error.hpp"
#include "protocol/legacy_message_set.hpp"
#include "support/legacy_builder.hpp"

using namespace brokkr;
namespace legacy = protocol::legacy;
using test::Bytes;

namespace {

void store_be32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * (3 - i)));
}

// Recomputes the CRC of the single message at the start of `b` (for
// tests that break a field and want only that field to be wrong).
void fix_crc(Bytes& b) {
  store_be32(b, 16 - 4, legacy::crc32(std::span<const std::uint8_t>(b).subspan(16)));
}

}  // namespace

TEST_CASE("legacy CRC-32 is the IEEE polynomial", "[legacy]") {
  std::string check = "123456789";
  CHECK(legacy::crc32(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(check.data()),
                                                    check.size())) == 0xCBF43926u);
  CHECK(legacy::crc32({}) == 0u);
}

TEST_CASE("legacy messages of magic 0 and 1 are written and read back", "[legacy]") {
  for (std::int8_t magic : {0, 1}) {
    INFO("magic " << int(magic));
    std::vector<test::LegacySpec> specs = {
        {5, "k1", "value one", 1700000000000, 0},
        {6, std::nullopt, "no key", 1700000000001, 0},
        {7, "tombstone", std::nullopt, 1700000000002, 0},
        {8, "", "", 1700000000003, 0},
    };
    Bytes set = test::legacy_set(magic, specs);
    auto read = test::read_legacy(set);
    REQUIRE(read.size() == specs.size());
    std::size_t expected_size = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      CHECK(read[i].offset == specs[i].offset);
      CHECK(read[i].magic == magic);
      CHECK(read[i].key == specs[i].key);
      CHECK(read[i].value == specs[i].value);
      CHECK(read[i].timestamp == (magic == 0 ? -1 : specs[i].timestamp));
      expected_size += legacy::entry_size(magic, specs[i].key ? specs[i].key->size() : 0,
                                          specs[i].value ? specs[i].value->size() : 0);
    }
    CHECK(set.size() == expected_size);
    // Byte layout of the first entry: offset, size, crc, magic, attributes.
    CHECK(set[7] == 5);
    CHECK(set[legacy::kMagicPos] == magic);
  }
}

TEST_CASE("legacy parsing never trusts a length", "[legacy]") {
  Bytes good = test::legacy_set(1, {{0, "key", "value", 1700000000000, 0}, {1, "k2", "v2", 1700000000001, 0}});
  REQUIRE(legacy::parse_message_set(good).size() == 2);

  SECTION("every truncation is an error, none crashes") {
    const std::size_t first = legacy::entry_size(1, 3, 5);
    for (std::size_t cut = 1; cut < good.size(); ++cut) {
      if (cut == first) continue;  // the first message whole: a valid set of one
      INFO("cut at " << cut);
      CHECK_THROWS_AS(legacy::parse_message_set(std::span(good).first(cut)), protocol::DecodeError);
    }
    CHECK(legacy::parse_message_set(std::span(good).first(first)).size() == 1);
  }
  SECTION("bad CRC") {
    Bytes bad = good;
    bad[30] ^= 0x01;  // inside the first message's key
    CHECK_THROWS_WITH(legacy::parse_message_set(bad), Catch::Contains("CRC"));
  }
  SECTION("message size beyond the bytes sent") {
    Bytes bad = good;
    store_be32(bad, 8, 0x7FFFFFF0);
    CHECK_THROWS_AS(legacy::parse_message_set(bad), protocol::DecodeError);
  }
  SECTION("message size below the smallest message, or negative") {
    for (std::uint32_t size : {0u, 13u, 0xFFFFFFFFu, 0x80000000u}) {
      Bytes bad = good;
      store_be32(bad, 8, size);
      CHECK_THROWS_AS(legacy::parse_message_set(bad), protocol::DecodeError);
    }
  }
  SECTION("key length that lies (CRC made right)") {
    Bytes one = test::legacy_set(1, {{0, "key", "value", 1700000000000, 0}});
    for (std::uint32_t length : {1000u, 0xFFFFFFFEu, 0x7FFFFFFFu, 2u}) {
      Bytes bad = one;
      store_be32(bad, 12 + 4 + 1 + 1 + 8, length);
      fix_crc(bad);
      INFO("key length " << length);
      CHECK_THROWS_AS(legacy::parse_message_set(bad), protocol::DecodeError);
    }
  }
  SECTION("magic 2 or garbage magic") {
    for (std::uint8_t magic : {2, 3, 0xFF}) {
      Bytes bad = good;
      bad[legacy::kMagicPos] = magic;
      CHECK_THROWS_WITH(legacy::parse_message_set(bad), Catch::Contains("magic"));
    }
  }
  SECTION("a magic 1 message too short for its timestamp") {
    Bytes bad = test::legacy_set(0, {{0, std::nullopt, std::nullopt}});
    bad[legacy::kMagicPos] = 1;
    fix_crc(bad);
    CHECK_THROWS_AS(legacy::parse_message_set(bad), protocol::DecodeError);
  }
  SECTION("random bytes") {
    std::mt19937 rng(42);
    for (int round = 0; round < 2000; ++round) {
      Bytes noise(rng() % 80);
      for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
      // Random bytes never pass the size, magic and CRC checks together.
      if (noise.empty()) {
        CHECK(legacy::parse_message_set(noise).empty());
      } else {
        CHECK_THROWS_AS(legacy::parse_message_set(noise), protocol::DecodeError);
      }
    }
  }
}
