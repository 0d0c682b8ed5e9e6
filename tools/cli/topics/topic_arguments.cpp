#include "topics/topic_arguments.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace brokkr::cli::topics {
namespace {

std::string trim(const std::string& s) {
  auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Java's String.split(regex) with a single-character separator: trailing
// empty parts are dropped.
std::vector<std::string> java_split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.size() == 1 && parts.front().empty() && !text.empty()) parts.clear();
  return parts;
}

std::string java_list(const std::vector<std::int32_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
  return out + "]";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_topic_configs(const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& value : values) {
    // Java's split("\\s*=\\s*"): whitespace around '=' belongs to the separator.
    auto parts = java_split(value, '=');
    for (auto& part : parts) part = trim(part);
    while (!parts.empty() && parts.back().empty()) parts.pop_back();
    if (parts.size() != 2) {
      throw std::runtime_error(
          "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".");
    }
    out.emplace_back(trim(parts[0]), trim(parts[1]));
  }
  return out;
}

std::map<std::int32_t, std::vector<std::int32_t>> parse_replica_assignment(const std::string& text) {
  std::map<std::int32_t, std::vector<std::int32_t>> out;
  auto partitions = java_split(text, ',');
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    std::vector<std::int32_t> brokers;
    for (const auto& word : java_split(partitions[i], ':')) {
      auto id_text = trim(word);
      std::int32_t id = 0;
      auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
      if (ec != std::errc() || end != id_text.data() + id_text.size()) {
        throw std::runtime_error("For input string: \"" + id_text + "\"");
      }
      brokers.push_back(id);
    }
    std::vector<std::int32_t> duplicates;
    for (std::size_t a = 0; a < brokers.size(); ++a) {
      bool repeated = std::count(brokers.begin(), brokers.end(), brokers[a]) > 1;
      if (repeated && std::find(duplicates.begin(), duplicates.end(), brokers[a]) == duplicates.end()) {
        duplicates.push_back(brokers[a]);
      }
    }
    if (!duplicates.empty()) {
      std::string list;
      for (auto d : duplicates) list += (list.empty() ? "" : ",") + std::to_string(d);
      throw std::runtime_error("Partition replica lists may not contain duplicate entries: " + list);
    }
    auto partition = static_cast<std::int32_t>(i);
    out[partition] = brokers;
    if (out[partition].size() != out[0].size()) {
      throw std::runtime_error("Partition " + std::to_string(i) + " has different replication factor: " +
                               java_list(brokers));
    }
  }
  return out;
}

}  // namespace brokkr::cli::topics
