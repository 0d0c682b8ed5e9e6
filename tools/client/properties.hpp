// Client properties as Kafka's tools take them: `key=value` pairs from the
// command line (--producer-property, --consumer-property) or a Java-style
// properties file (--command-config). Typed getters name the key in errors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace brokkr::client {

class Properties {
 public:
  // Reads `key=value` / `key: value` lines; `#` and `!` start comments.
  // Throws ClientError naming the file and line for a line without a key.
  static Properties load_file(const std::filesystem::path& file);

  // "key=value"; throws ClientError for text without '='.
  void set_pair(const std::string& key_equals_value);
  void set(const std::string& key, const std::string& value) { values_[key] = value; }
  // Sets the key only when it is not set yet (tool defaults under user values).
  void set_default(const std::string& key, const std::string& value) { values_.emplace(key, value); }
  void merge(const Properties& other);  // other's values win

  bool contains(const std::string& key) const { return values_.count(key) != 0; }
  std::optional<std::string> get(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  std::int64_t get_int(const std::string& key, std::int64_t fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace brokkr::client
