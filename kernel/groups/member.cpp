#include "groups/member.hpp"

namespace brokkr::groups {

const Bytes* Member::metadata_for(const std::string& protocol) const {
  for (const auto& p : protocols) {
    if (p.name == protocol) return &p.metadata;
  }
  return nullptr;
}

std::optional<std::string> Member::vote(const std::set<std::string>& candidates) const {
  for (const auto& p : protocols) {
    if (candidates.count(p.name)) return p.name;
  }
  return std::nullopt;
}

}  // namespace brokkr::groups
