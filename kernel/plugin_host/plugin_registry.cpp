#include "plugin_registry.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "library_loader.hpp"
#include "manifest_check.hpp"

namespace brokkr::plugin_host {

namespace fs = std::filesystem;

struct PluginRegistry::Entry {
  fs::path canonical;      // to skip a file reached twice
  PluginListing listing;
  Loaded loaded;           // library set when the manifest passed every check
  bool is_plugin = false;  // exports a manifest (whether or not it was accepted)
  bool duplicate = false;  // passed, but another file has the same kind and name
};

namespace {

std::string refused_message(const fs::path& file, const std::string& reason) {
  return "plugin " + file.string() + " refused: " + reason;
}

std::string count_word(std::size_t n) {
  static const char* const words[] = {"zero", "one", "two", "three", "four", "five"};
  return n < std::size(words) ? words[n] : std::to_string(n);
}

std::string join_files(const std::vector<fs::path>& files) {
  std::string out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i > 0) out += (i + 1 == files.size()) ? " and " : ", ";
    out += files[i].string();
  }
  return out;
}

template <typename Range>
std::string join(const Range& items, const char* separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

PluginRegistry::PluginRegistry() = default;
PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::scan(const std::vector<fs::path>& directories) {
  // Check every directory before loading anything, so a typo fails fast.
  std::vector<std::pair<fs::path, fs::path>> to_scan;  // given, canonical
  for (const auto& dir : directories) {
    std::error_code ec;
    fs::file_status status = fs::status(dir, ec);
    if (!fs::exists(status)) throw PluginError("plugin directory " + dir.string() + " does not exist");
    if (!fs::is_directory(status)) {
      throw PluginError("plugin directory " + dir.string() + " is not a directory");
    }
    fs::path canonical = fs::weakly_canonical(dir, ec);
    if (ec) canonical = dir;
    bool seen = std::any_of(directories_.begin(), directories_.end(),
                            [&](const fs::path& d) { return fs::equivalent(d, canonical, ec); }) ||
                std::any_of(to_scan.begin(), to_scan.end(),
                            [&](const auto& d) { return d.second == canonical; });
    if (!seen) to_scan.emplace_back(dir, canonical);
  }

  for (const auto& [given, canonical] : to_scan) {
    directories_.push_back(canonical);
    searched_.push_back(given);
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(canonical, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      if (path.extension() != ".so") continue;
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;  // follows symlinks
      files.push_back(path);
    }
    if (ec) throw PluginError("cannot read plugin directory " + given.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) scan_file(given / file.filename());
  }
  mark_duplicates();
}

void PluginRegistry::scan_file(const fs::path& file) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(file, ec);
  if (ec) canonical = file;
  for (const auto& e : entries_) {
    if (e.canonical == canonical) return;  // the same file through another path
  }

  Entry& entry = entries_.emplace_back();
  entry.canonical = canonical;
  PluginListing& listing = entry.listing;
  listing.file = file;

  auto refuse = [&](std::string reason, std::string message) {
    listing.status = PluginStatus::refused;
    listing.reason = std::move(reason);
    listing.message = std::move(message);
  };

  ProbeResult probe = probe_library(file, "boostdll", BROKKR_PLUGIN_MANIFEST_SYMBOL);
  if (!probe.error.empty()) {
    std::string reason = "not a Brokkr plugin (not a readable shared library: " + probe.error + ")";
    refuse(reason, file.string() + " is " + reason);
    return;
  }
  if (!probe.exports_manifest) {
    std::string reason = "not a Brokkr plugin (no " BROKKR_PLUGIN_MANIFEST_SYMBOL " export)";
    refuse(reason, file.string() + " is " + reason);
    return;
  }
  entry.is_plugin = true;

  LoadedLibrary library;
  try {
    library = load_library(file, BROKKR_PLUGIN_MANIFEST_SYMBOL);
  } catch (const std::exception& e) {
    std::string reason = std::string("cannot load it: ") + e.what();
    refuse(reason, refused_message(file, reason));
    return;
  }

  ManifestCheck check = check_manifest(library.symbol_value);
  listing.kind = check.kind;
  listing.name = std::move(check.name);
  listing.version = std::move(check.version);
  listing.description = std::move(check.description);
  if (!check.ok()) {
    // The strings were copied above; the library can go.
    refuse(check.reason, refused_message(file, check.reason));
    return;
  }
  entry.loaded.file = file;
  entry.loaded.library = std::move(library.handle);
  entry.loaded.manifest = check.manifest;
}

void PluginRegistry::mark_duplicates() {
  std::map<std::pair<sdk::PluginKind, std::string>, std::vector<Entry*>> by_key;
  for (auto& e : entries_) {
    if (e.loaded.manifest) by_key[{*e.listing.kind, e.listing.name}].push_back(&e);
  }
  for (auto& [key, group] : by_key) {
    if (group.size() < 2) continue;
    std::vector<fs::path> files;
    for (const Entry* e : group) files.push_back(e->listing.file);
    std::string message = count_word(group.size()) + " " + sdk::to_string(key.first) +
                          " plugins named '" + key.second + "': " + join_files(files);
    for (Entry* e : group) {
      e->duplicate = true;
      e->listing.status = PluginStatus::refused;
      e->listing.reason = message;
      e->listing.message = message;
    }
  }
}

std::vector<PluginListing> PluginRegistry::listing() const {
  std::vector<PluginListing> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.listing);
  return out;
}

std::vector<std::string> PluginRegistry::names(sdk::PluginKind kind) const {
  std::set<std::string> names;
  for (const auto& e : entries_) {
    if (e.listing.status == PluginStatus::ok && e.listing.kind == kind) names.insert(e.listing.name);
  }
  return {names.begin(), names.end()};
}

const PluginRegistry::Loaded& PluginRegistry::find(sdk::PluginKind kind,
                                                   const std::string& name) const {
  // A usable plugin wins over refused files of the same name.
  for (const auto& e : entries_) {
    if (e.listing.status == PluginStatus::ok && e.listing.kind == kind && e.listing.name == name) {
      return e.loaded;
    }
  }
  // Duplicates and refusals of this kind and name explain themselves.
  for (const auto& e : entries_) {
    if (e.listing.status == PluginStatus::refused && e.listing.kind == kind &&
        e.listing.name == name) {
      throw PluginError(e.listing.message);
    }
  }
  // The name exists, but for another kind.
  for (const auto& e : entries_) {
    if (e.listing.kind && e.listing.kind != kind && e.listing.name == name && e.is_plugin) {
      std::string message = "plugin " + e.listing.file.string() + " is " +
                            with_article(*e.listing.kind) + " plugin, expected " +
                            sdk::to_string(kind);
      if (e.listing.status == PluginStatus::refused) message += " (and refused: " + e.listing.reason + ")";
      throw PluginError(message);
    }
  }
  std::vector<std::string> found = names(kind);
  std::string message = std::string("no ") + sdk::to_string(kind) + " plugin named '" + name +
                        "' in " + (searched_.empty() ? std::string("(no directories scanned)")
                                                     : join(path_strings(searched_), ", ")) +
                        " (found: " + (found.empty() ? std::string("none") : join(found, ", "));
  // Plugins whose manifest could not be read might have been the one.
  std::vector<std::string> unreadable;
  for (const auto& e : entries_) {
    if (e.is_plugin && !e.listing.kind) {
      unreadable.push_back(e.listing.file.string() + " (" + e.listing.reason + ")");
    }
  }
  if (!unreadable.empty()) message += "; refused without a readable name: " + join(unreadable, ", ");
  message += ")";
  throw PluginError(message);
}

std::vector<std::string> PluginRegistry::path_strings(const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.string());
  return out;
}

void PluginRegistry::throw_empty_factory(const Loaded& plugin) {
  throw PluginError("plugin " + plugin.file.string() + " returned no object from its factory");
}

}  // namespace brokkr::plugin_host
