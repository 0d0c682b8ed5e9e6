// The plugin host: finds plugin shared libraries, checks that each one was
// built against this broker's SDK before trusting it, and creates plugin
// instances by kind and name.
//
//   PluginRegistry registry;
//   registry.scan({"/usr/lib/brokkr/plugins", "/opt/extra"});
//   for (const auto& entry : registry.listing()) { ... }      // --list-plugins
//   auto coordinator = registry.create<sdk::ClusterCoordinator>("raft", context);
//
// Lifetime: every object create() returns holds a reference to its plugin's
// library, so the library stays mapped until the last such object is
// destroyed, even when the registry goes first. Objects those objects hand out
// (a StorageEngine's PartitionLogs, an authenticator's sessions, callbacks
// the plugin stores, exceptions it threw) are not counted: release them before
// the object that made them. Destroying plugin objects before the registry is
// still the simplest rule to follow.
//
// Threading: scan() must not run concurrently with anything else; listing()
// and create() are const and may be called from several threads after it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::plugin_host {

// One line naming the file (or the directories searched) and the reason.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class PluginStatus { ok, refused };

inline const char* to_string(PluginStatus status) {
  return status == PluginStatus::ok ? "ok" : "refused";
}

struct PluginListing {
  std::filesystem::path file;
  // Unknown (nullopt/empty) when the manifest could not be read safely, e.g.
  // for another ABI version or a library that is not a plugin.
  std::optional<sdk::PluginKind> kind;
  std::string name;
  std::string version;
  std::string description;
  PluginStatus status = PluginStatus::ok;
  std::string reason;   // refused: why, e.g. "ABI version 999, this broker needs 1"
  std::string message;  // refused: the full one-line error naming the file
};

// Deleter of the objects create() returns: destroys the object (its virtual
// destructor runs the plugin's code) and then drops its hold on the library.
struct PluginDeleter {
  std::shared_ptr<const void> library;
  template <typename T>
  void operator()(T* object) const {
    delete object;
  }
};

template <typename Interface>
using PluginPtr = std::unique_ptr<Interface, PluginDeleter>;

class PluginRegistry {
 public:
  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Adds the plugins found in `directories` (every regular file named *.so,
  // in file name order). A missing directory throws PluginError naming it; a
  // file that fails a check is recorded as refused with its reason and does
  // not stop the scan. A library is dlopen'ed only when its symbol table
  // shows a brokkr_plugin_manifest export in the "boostdll" section; it then
  // stays loaded while it is ok (refused ones are unloaded again). A
  // directory or file already scanned is skipped.
  void scan(const std::vector<std::filesystem::path>& directories);

  // Every file scanned, in scan order, with its status.
  std::vector<PluginListing> listing() const;

  // Names of the usable plugins of one kind, sorted.
  std::vector<std::string> names(sdk::PluginKind kind) const;

  // Creates an instance of the plugin of kind KindOf<Interface> named `name`.
  // Throws PluginError when there is no such plugin (listing what there is),
  // when the name belongs to a plugin of another kind or a refused file (with
  // that file's reason), or when two files provide it. Exceptions the
  // plugin's constructor throws (e.g. sdk::ConfigError) pass through as they are.
  template <typename Interface>
  PluginPtr<Interface> create(const std::string& name, const sdk::PluginContext& context) const {
    constexpr sdk::PluginKind kind = sdk::detail::KindOf<Interface>::value;
    const Loaded& plugin = find(kind, name);
    const sdk::PluginFactories& factories = plugin.manifest->factories;
    sdk::PluginFactory<Interface> factory = nullptr;
    if constexpr (kind == sdk::PluginKind::coordination) factory = factories.coordination;
    if constexpr (kind == sdk::PluginKind::storage) factory = factories.storage;
    if constexpr (kind == sdk::PluginKind::codec) factory = factories.codec;
    if constexpr (kind == sdk::PluginKind::assignor) factory = factories.assignor;
    if constexpr (kind == sdk::PluginKind::authenticator) factory = factories.authenticator;
    if constexpr (kind == sdk::PluginKind::authorizer) factory = factories.authorizer;
    std::unique_ptr<Interface> object = factory(context);  // checked non-null at scan
    if (!object) throw_empty_factory(plugin);
    return PluginPtr<Interface>(object.release(), PluginDeleter{plugin.library});
  }

 private:
  struct Loaded {
    std::filesystem::path file;
    std::shared_ptr<const void> library;  // owns the loaded library
    const sdk::PluginManifest* manifest = nullptr;
  };
  struct Entry;

  const Loaded& find(sdk::PluginKind kind, const std::string& name) const;
  [[noreturn]] static void throw_empty_factory(const Loaded& plugin);
  void scan_file(const std::filesystem::path& file);
  void mark_duplicates();
  static std::vector<std::string> path_strings(const std::vector<std::filesystem::path>& paths);

  std::vector<std::filesystem::path> directories_;  // scanned, canonical
  std::vector<std::filesystem::path> searched_;     // scanned, as given (for messages)
  std::vector<Entry> entries_;                      // every file, scan order
};

}  // namespace brokkr::plugin_host
