// Reads one TOML table key by key with validation, remembering which keys
// were read so the rest can be reported as unknown.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config_error.hpp"

namespace brokkr::config {

std::string render_toml_value(const toml::node& node);

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string path) : table_(table), path_(std::move(path)) {}

  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::optional<std::string> string(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::optional<std::vector<std::string>> string_list(const std::string& key);
  const toml::table* table(const std::string& key);
  const toml::array* array(const std::string& key);
  // Keys this reader's owner handles itself (e.g. plugin sub-tables).
  void mark_read(const std::string& key) { read_.insert(key); }

  // Throws for the first key that no accessor read.
  void reject_unknown_keys() const;

  [[noreturn]] void fail(const std::string& key, const std::string& reason) const;
  [[noreturn]] void fail_value(const std::string& key, const toml::node& value,
                               const std::string& reason) const;
  std::string qualified(const std::string& key) const;
  const toml::table& raw() const { return table_; }

 private:
  const toml::node* find(const std::string& key);

  const toml::table& table_;
  std::string path_;
  std::set<std::string> read_;
};

}  // namespace brokkr::config
