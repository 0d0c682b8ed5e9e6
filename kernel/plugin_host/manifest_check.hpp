// Validation of a plugin's manifest, separate from loading so it can be
// tested on hand-made manifests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::plugin_host {

// What this broker was built with; compared with what a plugin was built with.
struct HostIdentity {
  std::uint32_t abi_version = sdk::kAbiVersion;
  std::uint32_t manifest_size = sizeof(sdk::PluginManifest);
  std::string sdk_fingerprint = BROKKR_SDK_FINGERPRINT;
  std::string toolchain_fingerprint = BROKKR_SDK_TOOLCHAIN_FINGERPRINT;
};

struct ManifestCheck {
  const sdk::PluginManifest* manifest = nullptr;  // set only when accepted
  // Filled in as far as the manifest could be read safely.
  std::optional<sdk::PluginKind> kind;
  std::string name;
  std::string version;
  std::string description;
  std::string reason;  // empty when accepted
  bool ok() const { return reason.empty(); }
};

// `raw` is the value of the plugin's brokkr_plugin_manifest export. Reads
// abi_version first and nothing else unless it matches, then manifest_size,
// and only then the rest of the manifest.
ManifestCheck check_manifest(const void* raw, const HostIdentity& host = HostIdentity{});

// Whether the manifest sets the factory for its own kind.
bool has_factory_for_kind(const sdk::PluginManifest& manifest);

// "a codec", "an assignor": for messages.
std::string with_article(sdk::PluginKind kind);

}  // namespace brokkr::plugin_host
