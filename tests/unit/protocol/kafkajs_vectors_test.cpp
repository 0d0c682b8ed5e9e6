// Real wire bytes from the kafkajs test fixtures (request bodies as kafkajs
// encodes them, response bodies as Apache Kafka brokers sent them): decode
// each with the generated type at its version, require every byte consumed,
// encode again and compare.
//
// The vectors live outside the repo, in $BROKKR_SHARED_DIR/kafka-protocol/
// vectors-kafkajs (default <repo>/../shared); without them the tests are
// skipped with a warning.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/decode_error.hpp"
#include "protocol/generated/consumer_protocol_assignment.hpp"
#include "protocol/generated/consumer_protocol_subscription.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"
#include "generated_samples/test_samples.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace brokkr::protocol;

namespace {

// Files that are not a protocol message body at all; the reason is reported.
const std::map<std::string, std::string> kNotMessages = {
    {"messageSet__messages_v0_GZIP.json",
     "legacy message set (magic 0/1), the payload of a records field, not a protocol message"},
    {"messageSet__messages_v0_uncompressed.json.json",
     "legacy message set (magic 0/1), the payload of a records field, not a protocol message"},
    {"recordBatch__crc32C__crcPayload.json", "CRC32C input of a record batch, not a protocol message"},
    {"recordBatch__v0_record.json", "a single record of a magic-2 batch, not a protocol message"},
    {"recordBatch__v0_recordbatch.json", "magic-2 record batch (records field payload)"},
    {"recordBatch__v0_recordbatch_zstd.json", "magic-2 record batch (records field payload)"},
};

// SASL payloads: opaque auth bytes framed as a Kafka `bytes` (int32 length),
// i.e. what SaslAuthenticate carries in AuthBytes or what a v0 SASL
// handshake exchanges unframed. They are decoded as bytes and re-encoded.
const std::vector<std::string> kSaslBytes = {
    "requests__saslAuthenticate__plain_bytes.json",
    "requests__saslAuthenticate__scram256_bytes.json",
    "requests__saslAuthenticate__scram256_firstRequest_response.json",
    "requests__saslAuthenticate__scram256_firstRequest_response_v1.json",
    "sasl__scram__firstMessage__response.json",
};

// Vectors that do not decode as the current schema at their version, with the
// reason. Each must still fail, so the list stays honest.
const std::map<std::string, std::string> kExpectedDecodeFailures = {
    {"requests__apiVersions__v1_response_missing_throttle_time.json",
     "a pre-KIP-511 broker answered a v1 request without ThrottleTimeMs; kafkajs tests that it "
     "copes with the truncated body, the v1 schema requires the field"},
};

// Consumer-protocol payloads that carry a version header the body does not
// match: decoded at a different version, with the reason.
const std::map<std::string, std::pair<int, std::string>> kConsumerProtocolVersionOverride = {
    {"requests__joinGroup__v1_assignerMetadata.json",
     {0, "kafkajs writes version 1 but the v0 layout (no OwnedPartitions)"}},
    {"requests__joinGroup__v2_assignerMetadata.json",
     {0, "kafkajs writes version 1 but the v0 layout (no OwnedPartitions)"}},
    {"requests__describeGroups__v1_memberMetadata.json",
     {0, "kafkajs writes version 1 but the v0 layout (no OwnedPartitions)"}},
};

std::vector<uint8_t> parse_buffer_json(const std::string& text) {
  std::vector<uint8_t> out;
  auto data = text.find("\"data\"");
  REQUIRE(data != std::string::npos);
  auto open = text.find('[', data);
  auto close = text.find(']', open);
  REQUIRE(open != std::string::npos);
  REQUIRE(close != std::string::npos);
  size_t i = open + 1;
  while (i < close) {
    while (i < close && !std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= close) break;
    int v = 0;
    while (i < close && std::isdigit(static_cast<unsigned char>(text[i]))) v = v * 10 + (text[i++] - '0');
    if (v > 255) FAIL("byte value " << v << " out of range");
    out.push_back(static_cast<uint8_t>(v));
  }
  return out;
}

// Splits "requests__<api>__v<N>_<rest>.json"; false for other names.
bool parse_vector_name(const std::string& file, std::string& api, int& version, std::string& rest) {
  const std::string prefix = "requests__";
  const std::string suffix = ".json";
  if (file.rfind(prefix, 0) != 0 || file.size() < prefix.size() + suffix.size()) return false;
  const std::string middle = file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
  const size_t sep = middle.find("__v");
  if (sep == std::string::npos || sep == 0) return false;
  api = middle.substr(0, sep);
  size_t i = sep + 3;
  const size_t digits = i;
  version = 0;
  while (i < middle.size() && std::isdigit(static_cast<unsigned char>(middle[i]))) {
    version = version * 10 + (middle[i++] - '0');
  }
  if (i == digits || i >= middle.size() || middle[i] != '_') return false;
  rest = middle.substr(i + 1);
  return true;
}

std::string message_name(const std::string& api, bool request) {
  std::string name = api;
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name + (request ? "Request" : "Response");
}

struct Outcome {
  bool ok = false;
  std::string detail;
};

Outcome check_message(const std::string& name, int version, const std::vector<uint8_t>& body) {
  const auto* sample = test_samples::find_sample(name);
  if (sample == nullptr) return {false, "no generated type " + name};
  if (version < sample->lowest_version || version > sample->highest_version) {
    return {false, name + " has no version " + std::to_string(version)};
  }
  try {
    // kafkajs's fixtures of flexible versions begin with the tagged-field
    // section of the request/response header (kafkajs reads and writes it as
    // part of the body). Check it is a well-formed (empty) section, skip it.
    size_t header_tags = 0;
    if (version >= sample->flexible_from) {
      WireReader r(body);
      const uint32_t n = r.read_tagged_field_count();
      int64_t previous = -1;
      for (uint32_t i = 0; i < n; ++i) r.read_tagged_field(previous);
      header_tags = r.position();
    }
    const std::span<const uint8_t> payload(body.data() + header_tags, body.size() - header_tags);
    size_t consumed = 0;
    auto again = sample->reencode(payload, static_cast<int16_t>(version), &consumed);
    if (consumed != payload.size()) {
      return {false, "decode consumed " + std::to_string(consumed) + " of " +
                         std::to_string(payload.size()) + " bytes"};
    }
    if (!std::equal(again.begin(), again.end(), payload.begin(), payload.end())) {
      return {false, "re-encoded bytes differ"};
    }
    return {true, ""};
  } catch (const DecodeError& e) {
    return {false, std::string("DecodeError: ") + e.what()};
  }
}

// Consumer protocol payload: int16 version, then the body at that version.
template <class T>
Outcome check_consumer_protocol(const std::vector<uint8_t>& bytes, std::optional<int> force_version) {
  try {
    WireReader r(bytes);
    const int16_t header_version = r.read_int16();
    int16_t v = force_version ? static_cast<int16_t>(*force_version) : header_version;
    // Kafka parses versions newer than it knows with its newest schema.
    v = std::min<int16_t>(v, T::kHighestVersion);
    T value;
    value.decode(r, v);
    if (r.remaining() != 0) return {false, std::to_string(r.remaining()) + " bytes left"};
    WireWriter w;
    w.write_int16(header_version);
    value.encode(w, v);
    if (w.buffer() != bytes) return {false, "re-encoded bytes differ"};
    return {true, ""};
  } catch (const DecodeError& e) {
    return {false, std::string("DecodeError: ") + e.what()};
  }
}

Outcome check_sasl_bytes(const std::vector<uint8_t>& bytes) {
  try {
    WireReader r(bytes);
    auto payload = r.read_bytes();
    if (r.remaining() != 0) return {false, "trailing bytes"};
    WireWriter w;
    w.write_bytes(payload);
    if (w.buffer() != bytes) return {false, "re-encoded bytes differ"};
    return {true, ""};
  } catch (const DecodeError& e) {
    return {false, std::string("DecodeError: ") + e.what()};
  }
}

}  // namespace

TEST_CASE("kafkajs wire vectors decode and re-encode byte-exactly", "[protocol][kafkajs]") {
  const fs::path dir = testing::shared_dir() / "kafka-protocol" / "vectors-kafkajs";
  if (!fs::is_directory(dir)) {
    WARN("kafkajs vectors not found at " << dir.string() << ": test skipped");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 200);

  size_t passed = 0;
  size_t excluded = 0;
  std::vector<std::string> failures;
  for (const auto& path : files) {
    const std::string file = path.filename().string();
    if (auto it = kNotMessages.find(file); it != kNotMessages.end()) {
      ++excluded;
      continue;
    }
    const auto bytes = parse_buffer_json(testing::read_text_file(path));
    Outcome outcome;
    std::string api, rest;
    int version = 0;
    if (std::find(kSaslBytes.begin(), kSaslBytes.end(), file) != kSaslBytes.end()) {
      outcome = check_sasl_bytes(bytes);
    } else if (parse_vector_name(file, api, version, rest)) {
      std::optional<int> force;
      if (auto it = kConsumerProtocolVersionOverride.find(file);
          it != kConsumerProtocolVersionOverride.end()) {
        force = it->second.first;
      }
      if (rest.find("memberAssignment") != std::string::npos) {
        outcome = check_consumer_protocol<ConsumerProtocolAssignment>(bytes, force);
      } else if (rest.find("Metadata") != std::string::npos && rest.find("request") == std::string::npos) {
        // assignerMetadata / memberMetadata: a consumer subscription.
        outcome = check_consumer_protocol<ConsumerProtocolSubscription>(bytes, force);
      } else if (rest.find("request") != std::string::npos) {
        outcome = check_message(message_name(api, true), version, bytes);
      } else if (rest.find("response") != std::string::npos) {
        outcome = check_message(message_name(api, false), version, bytes);
      } else {
        outcome = {false, "unclassified vector file"};
      }
    } else {
      outcome = {false, "unclassified vector file"};
    }

    const bool expect_failure = kExpectedDecodeFailures.count(file) != 0;
    if (expect_failure) {
      ++excluded;
      if (outcome.ok) failures.push_back(file + ": listed as an expected failure but now passes");
    } else if (outcome.ok) {
      ++passed;
    } else {
      failures.push_back(file + ": " + outcome.detail);
    }
  }
  for (const auto& f : failures) UNSCOPED_INFO(f);
  INFO(passed << " vectors passed, " << excluded << " excluded with a reason");
  CHECK(failures.empty());
  CHECK(passed >= 198);
}
