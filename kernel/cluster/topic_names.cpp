#include "cluster/topic_names.hpp"

namespace brokkr::cluster {

std::optional<std::string> invalid_topic_name_reason(const std::string& name) {
  if (name.empty()) return "topic name is empty";
  if (name == "." || name == "..") return "topic name cannot be \".\" or \"..\"";
  if (name.size() > 249) return "topic name is longer than 249 characters";
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return "topic name contains characters other than ASCII alphanumerics, '.', '_' and '-'";
  }
  return std::nullopt;
}

}  // namespace brokkr::cluster
