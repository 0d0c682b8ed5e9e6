#include <catch2/catch.hpp>

#include "brokkr/sdk/record_batch.hpp"
#include "client/client_error.hpp"
#include "client/client_plugins.hpp"
#include "client/records/record_batch_builder.hpp"
#include "client/records/record_batch_reader.hpp"

using namespace brokkr::client;
using brokkr::sdk::CompressionType;

namespace {

std::vector<std::uint8_t> sample_batch(CompressionType type, std::int64_t base_offset) {
  RecordBatchBuilder builder(type, std::nullopt);
  for (int i = 0; i < 50; ++i) {
    std::optional<std::string> key;
    if (i % 2 == 0) key = "key-" + std::to_string(i);
    std::vector<RecordHeader> headers;
    if (i % 5 == 0) headers.push_back({"h", i % 10 == 0 ? std::nullopt : std::optional<std::string>("v")});
    builder.append(1'700'000'000'000 + i, key, i == 7 ? std::nullopt : std::optional<std::string>(std::string(100, 'a' + i % 26)), headers);
  }
  auto batch = builder.build();
  brokkr::sdk::record_batch::set_base_offset(batch, base_offset);
  return batch;
}

}  // namespace

TEST_CASE("batches round-trip through every codec plugin") {
  for (auto type : {CompressionType::none, CompressionType::gzip, CompressionType::snappy, CompressionType::lz4,
                    CompressionType::zstd}) {
    INFO(compression_name(type));
    auto batch = sample_batch(type, 100);
    auto header = brokkr::sdk::record_batch::parse_header(batch);
    CHECK(header->compression() == type);
    CHECK(header->record_count == 50);
    auto decoded = decode_record_batches(batch, "t", 0, 100);
    REQUIRE(decoded.records.size() == 50);
    CHECK(decoded.next_offset == 150);
    const auto& r = decoded.records[10];
    CHECK(r.offset == 110);
    CHECK(r.timestamp == 1'700'000'000'010);
    CHECK(r.key == "key-10");
    CHECK(r.value == std::string(100, 'a' + 10));
    REQUIRE(r.headers.size() == 1);
    CHECK_FALSE(r.headers[0].value.has_value());
    CHECK_FALSE(decoded.records[7].value.has_value());
    CHECK_FALSE(decoded.records[1].key.has_value());
  }
}

TEST_CASE("records before the fetch offset and a partial trailing batch are skipped") {
  auto bytes = sample_batch(CompressionType::none, 0);
  auto second = sample_batch(CompressionType::lz4, 50);
  bytes.insert(bytes.end(), second.begin(), second.end() - 10);  // cut short
  auto decoded = decode_record_batches(bytes, "t", 0, 20);
  CHECK(decoded.records.size() == 30);
  CHECK(decoded.records.front().offset == 20);
  CHECK(decoded.next_offset == 50);
}

TEST_CASE("a corrupt batch is an error naming partition and offset") {
  auto batch = sample_batch(CompressionType::none, 7);
  batch[100] ^= 0xff;
  CHECK_THROWS_WITH(decode_record_batches(batch, "orders", 2, 0), Catch::Contains("orders-2 at offset 7") && Catch::Contains("CRC"));
}
