#include "properties.hpp"

#include <charconv>
#include <fstream>

#include "client_error.hpp"

namespace brokkr::client {
namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

Properties Properties::load_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ClientError("cannot read config file " + file.string());
  Properties props;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    auto sep = line.find_first_of("=:");
    if (sep == std::string::npos || trim(line.substr(0, sep)).empty()) {
      throw ClientError(file.string() + ":" + std::to_string(number) +
                        ": expected key=value, got '" + line + "'");
    }
    props.set(trim(line.substr(0, sep)), trim(line.substr(sep + 1)));
  }
  return props;
}

void Properties::set_pair(const std::string& key_equals_value) {
  auto sep = key_equals_value.find('=');
  if (sep == std::string::npos || sep == 0) {
    throw ClientError("invalid property '" + key_equals_value + "': expected key=value");
  }
  set(trim(key_equals_value.substr(0, sep)), trim(key_equals_value.substr(sep + 1)));
}

void Properties::merge(const Properties& other) {
  for (const auto& [key, value] : other.values_) values_[key] = value;
}

std::optional<std::string> Properties::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Properties::get_string(const std::string& key, const std::string& fallback) const {
  return get(key).value_or(fallback);
}

std::int64_t Properties::get_int(const std::string& key, std::int64_t fallback) const {
  auto text = get(key);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    throw ClientError("invalid value '" + *text + "' for property " + key + ": expected an integer");
  }
  return value;
}

bool Properties::get_bool(const std::string& key, bool fallback) const {
  auto text = get(key);
  if (!text) return fallback;
  if (*text == "true") return true;
  if (*text == "false") return false;
  throw ClientError("invalid value '" + *text + "' for property " + key + ": expected true or false");
}

}  // namespace brokkr::client
