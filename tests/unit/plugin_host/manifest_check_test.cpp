// check_manifest on manifests made in the test, without loading anything.
#include <catch2/catch.hpp>

#include "brokkr/sdk/assignor.hpp"
#include "manifest_check.hpp"

using namespace brokkr;
using plugin_host::check_manifest;
using plugin_host::HostIdentity;

namespace {

class DummyAssignor : public sdk::Assignor {
 public:
  explicit DummyAssignor(const sdk::PluginContext&) {}
  std::string name() const override { return "dummy"; }
  sdk::Assignment assign(const sdk::AssignmentInput&) override { return {}; }
};

sdk::PluginManifest good_manifest() {
  return sdk::detail::make_manifest<sdk::Assignor, DummyAssignor>("dummy", "1.0", "a dummy");
}

}  // namespace

TEST_CASE("a manifest made by the SDK passes", "[manifest]") {
  sdk::PluginManifest m = good_manifest();
  auto result = check_manifest(&m);
  REQUIRE(result.ok());
  CHECK(result.manifest == &m);
  CHECK(result.kind == sdk::PluginKind::assignor);
  CHECK(result.name == "dummy");
  CHECK(result.version == "1.0");
  CHECK(result.description == "a dummy");
}

TEST_CASE("abi_version is checked first, and alone", "[manifest]") {
  // Just the first member: reading anything more would overrun this object.
  struct { std::uint32_t abi_version; } future{999};
  auto result = check_manifest(&future);
  CHECK(result.reason == "ABI version 999, this broker needs 1");
  CHECK_FALSE(result.kind);
  CHECK(result.name.empty());

  sdk::PluginManifest m = good_manifest();
  HostIdentity newer;
  newer.abi_version = 2;
  CHECK(check_manifest(&m, newer).reason == "ABI version 1, this broker needs 2");
}

TEST_CASE("manifest_size is checked before the other fields", "[manifest]") {
  struct { std::uint32_t abi_version; std::uint32_t size; } small{1, 8};
  CHECK(check_manifest(&small).reason ==
        "manifest size 8, this broker expects " + std::to_string(sizeof(sdk::PluginManifest)));
}

TEST_CASE("fingerprints", "[manifest]") {
  sdk::PluginManifest m = good_manifest();
  HostIdentity host;
  host.sdk_fingerprint = "abcdef0123456789";
  m.sdk_fingerprint = "99999999999999999";
  auto result = check_manifest(&m, host);
  CHECK(result.reason == "built against other SDK headers (fingerprint 999999999999.. != abcdef012345..)");
  CHECK(result.name == "dummy");  // known, for messages, though refused
  CHECK(result.manifest == nullptr);

  m.sdk_fingerprint = "abcdef0123456789-other";  // same 12-character prefix: shown whole
  CHECK(check_manifest(&m, host).reason ==
        "built against other SDK headers (fingerprint abcdef0123456789-other != abcdef0123456789)");
  m.sdk_fingerprint = nullptr;
  CHECK(check_manifest(&m, host).reason ==
        "built against other SDK headers (fingerprint (none) != abcdef0123456789)");

  m = good_manifest();
  m.toolchain_fingerprint = "clang-99/libc++-1";
  CHECK(check_manifest(&m).reason ==
        std::string("built with another toolchain (clang-99/libc++-1 != ") +
            BROKKR_SDK_TOOLCHAIN_FINGERPRINT + ")");
}

TEST_CASE("kind, name and factory", "[manifest]") {
  sdk::PluginManifest m = good_manifest();
  m.kind = static_cast<sdk::PluginKind>(42);
  auto result = check_manifest(&m);
  CHECK(result.reason == "unknown plugin kind 42");
  CHECK_FALSE(result.kind);

  m = good_manifest();
  m.name = nullptr;
  CHECK(check_manifest(&m).reason == "its manifest has no name");

  m = good_manifest();
  m.factories.assignor = nullptr;
  CHECK(check_manifest(&m).reason == "its manifest has no factory for an assignor plugin");

  m = good_manifest();
  m.kind = sdk::PluginKind::codec;  // says codec, has an assignor factory
  CHECK(check_manifest(&m).reason == "its manifest has no factory for a codec plugin");
  CHECK(check_manifest(nullptr).reason == "its brokkr_plugin_manifest export is a null pointer");
}
