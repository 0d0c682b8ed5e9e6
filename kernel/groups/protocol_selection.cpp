#include "groups/protocol_selection.hpp"

namespace brokkr::groups {

std::set<std::string> common_protocols(const std::map<std::string, Member>& members) {
  std::map<std::string, std::size_t> support;
  for (const auto& [id, member] : members) {
    std::set<std::string> names;  // a member listing a protocol twice counts once
    for (const auto& p : member.protocols) names.insert(p.name);
    for (const auto& name : names) ++support[name];
  }
  std::set<std::string> common;
  for (const auto& [name, count] : support) {
    if (count == members.size()) common.insert(name);
  }
  return common;
}

bool shares_a_protocol(const std::map<std::string, Member>& members, const std::vector<Protocol>& protocols) {
  auto common = common_protocols(members);
  for (const auto& p : protocols) {
    if (common.count(p.name)) return true;
  }
  return false;
}

std::optional<std::string> select_protocol(const std::map<std::string, Member>& members) {
  auto candidates = common_protocols(members);
  if (candidates.empty()) return std::nullopt;
  std::map<std::string, std::size_t> votes;
  for (const auto& [id, member] : members) {
    if (auto vote = member.vote(candidates)) ++votes[*vote];
  }
  // Walk the first member's preferences so that ties are decided the same way every time.
  std::optional<std::string> best;
  std::size_t best_votes = 0;
  for (const auto& p : members.begin()->second.protocols) {
    auto it = votes.find(p.name);
    if (it != votes.end() && it->second > best_votes) {
      best = p.name;
      best_votes = it->second;
    }
  }
  return best;
}

}  // namespace brokkr::groups
