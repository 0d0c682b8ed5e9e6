// A plugin's own configuration sub-table ([plugins.<name>] in the broker's
// TOML), converted by the kernel into standard C++ types so plugins need no
// TOML library. Accessors throw ConfigError naming the key and the reason.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace brokkr::sdk {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConfigTable;
struct ConfigValue;
using ConfigArray = std::vector<ConfigValue>;

struct ConfigValue {
  std::variant<bool, std::int64_t, double, std::string, ConfigArray, std::shared_ptr<ConfigTable>>
      value;
};

class ConfigTable {
 public:
  ConfigTable() = default;
  // `path` is the dotted location of this table, used in error messages.
  explicit ConfigTable(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  bool contains(const std::string& key) const { return entries_.count(key) != 0; }
  const std::map<std::string, ConfigValue>& entries() const { return entries_; }
  void set(const std::string& key, ConfigValue v) { entries_[key] = std::move(v); }

  std::string get_string(const std::string& key, std::optional<std::string> fallback = {}) const {
    return get_as<std::string>(key, fallback, "a string");
  }
  std::int64_t get_int(const std::string& key, std::optional<std::int64_t> fallback = {}) const {
    return get_as<std::int64_t>(key, fallback, "an integer");
  }
  bool get_bool(const std::string& key, std::optional<bool> fallback = {}) const {
    return get_as<bool>(key, fallback, "a boolean");
  }
  double get_double(const std::string& key, std::optional<double> fallback = {}) const {
    if (auto it = entries_.find(key); it != entries_.end()) {
      if (auto* i = std::get_if<std::int64_t>(&it->second.value)) return static_cast<double>(*i);
    }
    return get_as<double>(key, fallback, "a number");
  }
  std::vector<std::string> get_string_list(const std::string& key,
                                           std::vector<std::string> fallback = {}) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return fallback;
    auto* array = std::get_if<ConfigArray>(&it->second.value);
    if (!array) fail(key, "must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : *array) {
      auto* s = std::get_if<std::string>(&item.value);
      if (!s) fail(key, "must be an array of strings");
      out.push_back(*s);
    }
    return out;
  }

  // Plugins call this with the keys they understand: an unknown key is an error.
  void reject_unknown_keys(const std::set<std::string>& known) const {
    for (const auto& [key, value] : entries_) {
      if (!known.count(key)) fail(key, "unknown key");
    }
  }

  [[noreturn]] void fail(const std::string& key, const std::string& reason) const {
    throw ConfigError(qualified(key) + ": " + reason);
  }

 private:
  std::string qualified(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }
  template <typename T>
  T get_as(const std::string& key, const std::optional<T>& fallback, const char* what) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      if (fallback) return *fallback;
      fail(key, "is required");
    }
    if (auto* v = std::get_if<T>(&it->second.value)) return *v;
    fail(key, std::string("must be ") + what);
  }

  std::string path_;
  std::map<std::string, ConfigValue> entries_;
};

}  // namespace brokkr::sdk
