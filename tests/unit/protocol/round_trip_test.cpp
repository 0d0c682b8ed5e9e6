// Round trip of every generated message at every valid version, using the
// generated sample fillers (tests/unit/protocol/generated_samples), and the
// "every prefix of a valid encoding is a DecodeError" property.
#include <catch2/catch.hpp>

#include <exception>
#include <span>
#include <string>
#include <vector>

#include "protocol/decode_error.hpp"
#include "generated_samples/test_samples.hpp"

using brokkr::protocol::DecodeError;
using brokkr::protocol::test_samples::all_samples;

namespace {
constexpr uint32_t kSeeds = 3;  // seeds 0..2 exercise null and non-null nullable fields
}

TEST_CASE("every generated message round-trips at every valid version", "[protocol]") {
  REQUIRE(all_samples().size() >= 180);
  std::vector<std::string> failures;
  size_t checked = 0;
  for (const auto& e : all_samples()) {
    for (int v = e.lowest_version; v <= e.highest_version; ++v) {
      for (uint32_t seed = 0; seed < kSeeds; ++seed) {
        std::string err;
        try {
          err = e.round_trip(static_cast<int16_t>(v), seed);
        } catch (const std::exception& ex) {
          err = std::string("threw: ") + ex.what();
        }
        ++checked;
        if (!err.empty()) {
          failures.push_back(std::string(e.name) + " v" + std::to_string(v) + " seed " +
                             std::to_string(seed) + ": " + err);
        }
      }
    }
  }
  for (const auto& f : failures) UNSCOPED_INFO(f);
  INFO(checked << " (message, version, seed) combinations checked");
  CHECK(failures.empty());
}

TEST_CASE("samples are not trivially empty", "[protocol]") {
  // A sample at the highest version must encode to more bytes than the
  // default-constructed message, i.e. the filler really set fields.
  for (const auto& e : all_samples()) {
    auto a = e.encode_sample(e.highest_version, 0);
    auto b = e.encode_sample(e.highest_version, 1);
    INFO(e.name);
    CHECK(a != b);
  }
}

TEST_CASE("every prefix of a valid encoding fails with DecodeError", "[protocol]") {
  std::vector<std::string> failures;
  size_t prefixes = 0;
  for (const auto& e : all_samples()) {
    for (int v = e.lowest_version; v <= e.highest_version; ++v) {
      for (uint32_t seed = 0; seed < 2; ++seed) {
        const auto bytes = e.encode_sample(static_cast<int16_t>(v), seed);
        for (size_t n = 0; n < bytes.size(); ++n) {
          ++prefixes;
          try {
            e.reencode(std::span<const uint8_t>(bytes.data(), n), static_cast<int16_t>(v), nullptr);
            failures.push_back(std::string(e.name) + " v" + std::to_string(v) + " prefix " +
                               std::to_string(n) + ": decoded without error");
          } catch (const DecodeError&) {
            // expected
          } catch (const std::exception& ex) {
            failures.push_back(std::string(e.name) + " v" + std::to_string(v) + " prefix " +
                               std::to_string(n) + ": wrong exception: " + ex.what());
          }
        }
      }
    }
  }
  for (size_t i = 0; i < failures.size() && i < 50; ++i) UNSCOPED_INFO(failures[i]);
  INFO(prefixes << " prefixes decoded");
  CHECK(failures.empty());
}

TEST_CASE("mutated encodings decode or fail with DecodeError, nothing else", "[protocol]") {
  // Deterministic byte mutations of every sample: decoding may succeed or
  // throw DecodeError; any other exception (length_error, bad_alloc, ...)
  // or a crash is a bug. A successful decode must also encode again.
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<std::string> failures;
  size_t decoded_ok = 0, rejected = 0;
  for (const auto& e : all_samples()) {
    for (int v = e.lowest_version; v <= e.highest_version; ++v) {
      const auto bytes = e.encode_sample(static_cast<int16_t>(v), 1);
      if (bytes.empty()) continue;
      for (int round = 0; round < 16; ++round) {
        auto mutated = bytes;
        const int flips = 1 + static_cast<int>(next() % 3);
        for (int i = 0; i < flips; ++i) {
          const uint64_t r = next();
          const uint8_t values[] = {0x00, 0xff, 0x7f, 0x80, static_cast<uint8_t>(r >> 8)};
          mutated[r % mutated.size()] = values[(r >> 32) % 5];
        }
        try {
          e.reencode(mutated, static_cast<int16_t>(v), nullptr);
          ++decoded_ok;
        } catch (const DecodeError&) {
          ++rejected;
        } catch (const std::exception& ex) {
          failures.push_back(std::string(e.name) + " v" + std::to_string(v) + ": " + ex.what());
        }
      }
    }
  }
  for (size_t i = 0; i < failures.size() && i < 50; ++i) UNSCOPED_INFO(failures[i]);
  INFO(decoded_ok << " mutations decoded, " << rejected << " rejected");
  CHECK(failures.empty());
  CHECK(rejected > 0);
}
