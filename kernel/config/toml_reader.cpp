#include "config/toml_reader.hpp"

#include <sstream>

namespace brokkr::config {

std::string render_toml_value(const toml::node& node) {
  if (auto text = node.value_exact<std::string>()) return "\"" + *text + "\"";
  std::ostringstream out;
  node.visit([&out](const auto& v) { out << v; });
  return out.str();
}

std::string TomlReader::qualified(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void TomlReader::fail(const std::string& key, const std::string& reason) const {
  throw ConfigError(qualified(key) + ": " + reason);
}

void TomlReader::fail_value(const std::string& key, const toml::node& value,
                            const std::string& reason) const {
  throw ConfigError(qualified(key) + " = " + render_toml_value(value) + ": " + reason);
}

const toml::node* TomlReader::find(const std::string& key) {
  read_.insert(key);
  return table_.get(key);
}

std::optional<std::int64_t> TomlReader::integer(const std::string& key, std::int64_t min,
                                                std::int64_t max) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  auto value = node->value_exact<std::int64_t>();
  if (!value) fail_value(key, *node, "must be an integer");
  if (*value < min || *value > max) {
    fail_value(key, *node,
               "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

std::optional<std::string> TomlReader::string(const std::string& key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  auto value = node->value_exact<std::string>();
  if (!value) fail_value(key, *node, "must be a string");
  return value;
}

std::optional<bool> TomlReader::boolean(const std::string& key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  auto value = node->value_exact<bool>();
  if (!value) fail_value(key, *node, "must be true or false");
  return value;
}

std::optional<std::vector<std::string>> TomlReader::string_list(const std::string& key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  const toml::array* items = node->as_array();
  if (!items) fail_value(key, *node, "must be an array of strings");
  std::vector<std::string> out;
  for (const auto& item : *items) {
    auto text = item.value_exact<std::string>();
    if (!text) fail_value(key, *node, "must be an array of strings");
    out.push_back(*text);
  }
  return out;
}

const toml::table* TomlReader::table(const std::string& key) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (!node->is_table()) fail_value(key, *node, "must be a table");
  return node->as_table();
}

const toml::array* TomlReader::array(const std::string& key) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (!node->is_array()) fail_value(key, *node, "must be an array");
  return node->as_array();
}

void TomlReader::reject_unknown_keys() const {
  for (const auto& [key, value] : table_) {
    std::string name(key.str());
    if (!read_.count(name)) fail(name, "unknown key");
  }
}

}  // namespace brokkr::config
