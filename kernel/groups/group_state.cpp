#include "groups/group_state.hpp"

#include <cctype>

namespace brokkr::groups {

const char* state_name(GroupState state) {
  switch (state) {
    case GroupState::empty: return "Empty";
    case GroupState::preparing_rebalance: return "PreparingRebalance";
    case GroupState::completing_rebalance: return "CompletingRebalance";
    case GroupState::stable: return "Stable";
    case GroupState::dead: return "Dead";
  }
  return "Unknown";
}

std::optional<GroupState> parse_state(std::string_view name) {
  for (auto state : {GroupState::empty, GroupState::preparing_rebalance, GroupState::completing_rebalance,
                     GroupState::stable, GroupState::dead}) {
    std::string_view known = state_name(state);
    if (known.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < known.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(known[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return state;
  }
  return std::nullopt;
}

bool valid_transition(GroupState from, GroupState to) {
  switch (to) {
    case GroupState::preparing_rebalance:
      return from == GroupState::stable || from == GroupState::completing_rebalance || from == GroupState::empty;
    case GroupState::completing_rebalance: return from == GroupState::preparing_rebalance;
    case GroupState::stable: return from == GroupState::completing_rebalance;
    case GroupState::empty: return from == GroupState::preparing_rebalance;
    case GroupState::dead: return true;
  }
  return false;
}

}  // namespace brokkr::groups
