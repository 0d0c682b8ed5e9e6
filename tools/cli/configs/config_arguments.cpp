#include "configs/config_arguments.hpp"

#include <algorithm>

#include "client/properties.hpp"
#include "configs/config_errors.hpp"

namespace brokkr::cli::configs {
namespace {

std::string trim(const std::string& s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Kafka's lookahead (?=[^\]]*(?:\[|$)): a separator counts when no ']' comes
// before the next '[' (or the end), i.e. it is not inside brackets.
bool outside_brackets(const std::string& text, std::size_t at) {
  auto next = text.find_first_of("[]", at + 1);
  return next == std::string::npos || text[next] == '[';
}

std::vector<std::string> split_outside_brackets(const std::string& text, char separator, bool keep_trailing_empty) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == separator && outside_brackets(text, i)) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  if (!keep_trailing_empty) {  // Java's split(regex) drops trailing empty strings
    while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  }
  return parts;
}

void validate_keys(const std::map<std::string, std::string>& configs) {
  for (const auto& [key, value] : configs) {
    bool ok = std::all_of(key.begin(), key.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
             c == '-';
    });
    if (!ok) throw ArgumentError("Invalid character found for config key: " + key);
  }
}

}  // namespace

std::map<std::string, std::string> parse_add_config(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& pair : split_outside_brackets(text, ',', false)) {
    auto parts = split_outside_brackets(pair, '=', true);
    if (parts.size() != 2) {
      throw ArgumentError(
          "requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\".");
    }
    std::string value = parts[1];
    value.erase(std::remove_if(value.begin(), value.end(), [](char c) { return c == '[' || c == ']'; }), value.end());
    out[trim(parts[0])] = trim(value);
  }
  return out;
}

std::map<std::string, std::string> configs_to_add(const CommandLine& cl) {
  std::map<std::string, std::string> out;
  if (auto file = cl.value("add-config-file")) out = client::Properties::load_file(*file).all();
  if (auto text = cl.value("add-config")) {
    for (auto& [key, value] : parse_add_config(*text)) out[key] = value;
  }
  validate_keys(out);
  return out;
}

std::vector<std::string> configs_to_delete(const CommandLine& cl) {
  std::vector<std::string> out;
  for (const auto& value : cl.values("delete-config")) {
    for (const auto& name : split_outside_brackets(value, ',', false)) {
      auto trimmed = trim(name);
      if (!trimmed.empty()) out.push_back(trimmed);
    }
  }
  return out;
}

}  // namespace brokkr::cli::configs
