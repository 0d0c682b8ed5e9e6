#include "manifest_check.hpp"

#include <cstring>
#include <string_view>

namespace brokkr::plugin_host {
namespace {

std::string safe_string(const char* text) { return text ? std::string(text) : std::string(); }

bool known_kind(std::uint32_t value) {
  return value >= static_cast<std::uint32_t>(sdk::PluginKind::coordination) &&
         value <= static_cast<std::uint32_t>(sdk::PluginKind::authorizer);
}

// Long fingerprints are shortened where a prefix is enough to tell them apart.
std::string compare_text(const std::string& theirs, const std::string& ours) {
  constexpr std::size_t kShown = 12;
  if (theirs.size() > kShown && ours.size() > kShown &&
      theirs.compare(0, kShown, ours, 0, kShown) != 0) {
    return theirs.substr(0, kShown) + ".. != " + ours.substr(0, kShown) + "..";
  }
  return (theirs.empty() ? std::string("(none)") : theirs) + " != " + ours;
}

}  // namespace

bool has_factory_for_kind(const sdk::PluginManifest& m) {
  switch (m.kind) {
    case sdk::PluginKind::coordination: return m.factories.coordination != nullptr;
    case sdk::PluginKind::storage: return m.factories.storage != nullptr;
    case sdk::PluginKind::codec: return m.factories.codec != nullptr;
    case sdk::PluginKind::assignor: return m.factories.assignor != nullptr;
    case sdk::PluginKind::authenticator: return m.factories.authenticator != nullptr;
    case sdk::PluginKind::authorizer: return m.factories.authorizer != nullptr;
  }
  return false;
}

std::string with_article(sdk::PluginKind kind) {
  std::string_view name = sdk::to_string(kind);
  bool vowel = !name.empty() && std::strchr("aeiou", name.front()) != nullptr;
  return std::string(vowel ? "an " : "a ") + std::string(name);
}

ManifestCheck check_manifest(const void* raw, const HostIdentity& host) {
  ManifestCheck result;
  if (raw == nullptr) {
    result.reason = "its brokkr_plugin_manifest export is a null pointer";
    return result;
  }
  // The first two members are fixed for every ABI version.
  std::uint32_t abi_version = 0;
  std::memcpy(&abi_version, raw, sizeof abi_version);
  if (abi_version != host.abi_version) {
    result.reason = "ABI version " + std::to_string(abi_version) + ", this broker needs " +
                    std::to_string(host.abi_version);
    return result;
  }
  std::uint32_t manifest_size = 0;
  std::memcpy(&manifest_size, static_cast<const char*>(raw) + sizeof(std::uint32_t),
              sizeof manifest_size);
  if (manifest_size != host.manifest_size) {
    result.reason = "manifest size " + std::to_string(manifest_size) + ", this broker expects " +
                    std::to_string(host.manifest_size);
    return result;
  }

  const auto* manifest = static_cast<const sdk::PluginManifest*>(raw);
  const auto kind_value = static_cast<std::uint32_t>(manifest->kind);
  if (known_kind(kind_value)) result.kind = manifest->kind;
  result.name = safe_string(manifest->name);
  result.version = safe_string(manifest->version);
  result.description = safe_string(manifest->description);

  const std::string sdk_fingerprint = safe_string(manifest->sdk_fingerprint);
  if (sdk_fingerprint != host.sdk_fingerprint) {
    result.reason = "built against other SDK headers (fingerprint " +
                    compare_text(sdk_fingerprint, host.sdk_fingerprint) + ")";
    return result;
  }
  const std::string toolchain = safe_string(manifest->toolchain_fingerprint);
  if (toolchain != host.toolchain_fingerprint) {
    result.reason = "built with another toolchain (" + (toolchain.empty() ? "(none)" : toolchain) +
                    " != " + host.toolchain_fingerprint + ")";
    return result;
  }
  if (!result.kind) {
    result.reason = "unknown plugin kind " + std::to_string(kind_value);
    return result;
  }
  if (result.name.empty()) {
    result.reason = "its manifest has no name";
    return result;
  }
  if (!has_factory_for_kind(*manifest)) {
    result.reason = "its manifest has no factory for " + with_article(*result.kind) + " plugin";
    return result;
  }
  result.manifest = manifest;
  return result;
}

}  // namespace brokkr::plugin_host
