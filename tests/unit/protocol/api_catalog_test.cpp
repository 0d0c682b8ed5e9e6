// The generated api catalog and header-version rules.
#include <catch2/catch.hpp>

#include <string>

#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/fetch_request.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/produce_response.hpp"

using namespace brokkr::protocol;

TEST_CASE("api catalog lists every api once, sorted", "[protocol]") {
  auto apis = all_apis();
  REQUIRE(apis.size() >= 80);
  for (size_t i = 1; i < apis.size(); ++i) CHECK(apis[i - 1].key < apis[i].key);
  for (const auto& a : apis) {
    INFO(a.name);
    CHECK(find_api(a.key) == &a);
    CHECK(a.min_version <= a.max_version);
  }
  CHECK(find_api(-1) == nullptr);
  CHECK(find_api(10000) == nullptr);
}

TEST_CASE("api catalog entries agree with the message structs", "[protocol]") {
  const ApiInfo* md = find_api(MetadataRequest::kApiKey);
  REQUIRE(md != nullptr);
  CHECK(std::string(md->name) == "Metadata");
  CHECK(md->min_version == MetadataRequest::kLowestVersion);
  CHECK(md->max_version == MetadataRequest::kHighestVersion);
  CHECK(md->flexible_from == MetadataRequest::kFlexibleFrom);
  CHECK(md->flexible_from == 9);

  const ApiInfo* fetch = find_api(1);
  REQUIRE(fetch != nullptr);
  CHECK(std::string(fetch->name) == "Fetch");
  CHECK(fetch->max_version == FetchRequest::kHighestVersion);
  CHECK(ProduceResponse::kApiKey == 0);
  CHECK(std::string(find_api(0)->name) == "Produce");
}

TEST_CASE("request and response header versions", "[protocol]") {
  CHECK(request_header_version(3, 8) == 1);   // Metadata v8: not flexible
  CHECK(request_header_version(3, 9) == 2);   // Metadata v9: flexible
  CHECK(response_header_version(3, 8) == 0);
  CHECK(response_header_version(3, 9) == 1);
  CHECK(request_header_version(18, 3) == 2);  // ApiVersions v3 request is flexible...
  CHECK(response_header_version(18, 3) == 0); // ...but its response header is always v0
  CHECK(request_header_version(18, 9) == 2);  // a newer ApiVersions than we know
  CHECK(request_header_version(7, 0) == 0);   // ControlledShutdown v0
  CHECK(request_header_version(7, 1) == 1);
  CHECK(request_header_version(-5, 0) == -1);
  CHECK(response_header_version(-5, 0) == -1);
  // SaslHandshake has no flexible version at all.
  const ApiInfo* sasl = find_api(17);
  REQUIRE(sasl != nullptr);
  CHECK(sasl->flexible_from > sasl->max_version);
  CHECK(request_header_version(17, 1) == 1);
}
