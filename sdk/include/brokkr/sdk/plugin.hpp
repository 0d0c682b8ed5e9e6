// What every plugin exports: a manifest the kernel reads before it trusts the
// plugin, and a factory for the plugin's one interface.
//
// A plugin defines its class and then writes, once, at namespace scope:
//
//   BROKKR_PLUGIN(codec, MyCodec, "mycodec", "1.0.0", "what it does");
//
// The manifest is exported under the symbol `brokkr_plugin_manifest` in the
// "boostdll" section, the same layout as a Boost.DLL alias, so the kernel can
// list and check it with Boost.DLL without running the plugin's code; a
// plugin itself needs nothing but these SDK headers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "brokkr/sdk/abi.hpp"
#include "brokkr/sdk/config.hpp"
#include "brokkr/sdk/logger.hpp"

namespace brokkr::sdk {

class ClusterCoordinator;
class StorageEngine;
class Codec;
class Assignor;
class SaslMechanism;
class Authorizer;

enum class PluginKind : std::uint32_t {
  coordination = 1,
  storage = 2,
  codec = 3,
  assignor = 4,
  authenticator = 5,
  authorizer = 6,
};

inline const char* to_string(PluginKind kind) {
  switch (kind) {
    case PluginKind::coordination: return "coordination";
    case PluginKind::storage: return "storage";
    case PluginKind::codec: return "codec";
    case PluginKind::assignor: return "assignor";
    case PluginKind::authenticator: return "authenticator";
    case PluginKind::authorizer: return "authorizer";
  }
  return "unknown";
}

// Everything the kernel gives a plugin instance when it creates it.
struct PluginContext {
  std::string plugin_name;
  ConfigTable config;              // the [plugins.<name>] sub-table (may be empty)
  std::shared_ptr<Logger> logger;  // never null
  std::string data_dir;            // the broker's data directory
  std::int32_t node_id = 0;
};

template <typename Interface>
using PluginFactory = std::unique_ptr<Interface> (*)(const PluginContext&);

// Exactly one factory is set: the one matching `kind`.
struct PluginFactories {
  PluginFactory<ClusterCoordinator> coordination = nullptr;
  PluginFactory<StorageEngine> storage = nullptr;
  PluginFactory<Codec> codec = nullptr;
  PluginFactory<Assignor> assignor = nullptr;
  PluginFactory<SaslMechanism> authenticator = nullptr;
  PluginFactory<Authorizer> authorizer = nullptr;
};

// Plain data with a fixed layout: `abi_version` is always the first member
// so a kernel of any version can read it and refuse a mismatch safely.
struct PluginManifest {
  std::uint32_t abi_version;
  std::uint32_t manifest_size;
  const char* sdk_fingerprint;
  const char* toolchain_fingerprint;
  PluginKind kind;
  const char* name;
  const char* version;
  const char* description;
  PluginFactories factories;
};

namespace detail {
template <typename Interface> struct KindOf;
template <> struct KindOf<ClusterCoordinator> { static constexpr PluginKind value = PluginKind::coordination; };
template <> struct KindOf<StorageEngine> { static constexpr PluginKind value = PluginKind::storage; };
template <> struct KindOf<Codec> { static constexpr PluginKind value = PluginKind::codec; };
template <> struct KindOf<Assignor> { static constexpr PluginKind value = PluginKind::assignor; };
template <> struct KindOf<SaslMechanism> { static constexpr PluginKind value = PluginKind::authenticator; };
template <> struct KindOf<Authorizer> { static constexpr PluginKind value = PluginKind::authorizer; };

template <typename Interface, typename Impl>
std::unique_ptr<Interface> create(const PluginContext& context) {
  return std::make_unique<Impl>(context);
}

template <typename Interface, typename Impl>
constexpr PluginFactories factories_for() {
  PluginFactories f{};
  constexpr PluginKind kind = KindOf<Interface>::value;
  if constexpr (kind == PluginKind::coordination) f.coordination = &create<Interface, Impl>;
  if constexpr (kind == PluginKind::storage) f.storage = &create<Interface, Impl>;
  if constexpr (kind == PluginKind::codec) f.codec = &create<Interface, Impl>;
  if constexpr (kind == PluginKind::assignor) f.assignor = &create<Interface, Impl>;
  if constexpr (kind == PluginKind::authenticator) f.authenticator = &create<Interface, Impl>;
  if constexpr (kind == PluginKind::authorizer) f.authorizer = &create<Interface, Impl>;
  return f;
}

template <typename Interface, typename Impl>
constexpr PluginManifest make_manifest(const char* name, const char* version, const char* description) {
  return PluginManifest{kAbiVersion,
                        static_cast<std::uint32_t>(sizeof(PluginManifest)),
                        BROKKR_SDK_FINGERPRINT,
                        BROKKR_SDK_TOOLCHAIN_FINGERPRINT,
                        KindOf<Interface>::value,
                        name,
                        version,
                        description,
                        factories_for<Interface, Impl>()};
}
}  // namespace detail

// Interface types by kind keyword, for the BROKKR_PLUGIN macro.
namespace kind {
using coordination = ClusterCoordinator;
using storage = StorageEngine;
using codec = Codec;
using assignor = Assignor;
using authenticator = SaslMechanism;
using authorizer = Authorizer;
}  // namespace kind

}  // namespace brokkr::sdk

#define BROKKR_PLUGIN_MANIFEST_SYMBOL "brokkr_plugin_manifest"

// KIND: coordination | storage | codec | assignor | authenticator | authorizer.
// IMPL must be constructible from `const brokkr::sdk::PluginContext&`.
#define BROKKR_PLUGIN(KIND, IMPL, NAME, VERSION, DESCRIPTION)                              \
  namespace {                                                                              \
  const ::brokkr::sdk::PluginManifest brokkr_plugin_manifest_data =                        \
      ::brokkr::sdk::detail::make_manifest<::brokkr::sdk::kind::KIND, IMPL>(NAME, VERSION, \
                                                                            DESCRIPTION);  \
  }                                                                                        \
  extern "C" {                                                                             \
  __attribute__((visibility("default"), section("boostdll"), used))                        \
  const void* brokkr_plugin_manifest = &brokkr_plugin_manifest_data;                       \
  }                                                                                        \
  static_assert(true, "BROKKR_PLUGIN is followed by a semicolon")
