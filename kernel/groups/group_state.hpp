// The classic group protocol's states (Kafka's GroupState) and the moves
// between them:
//   Empty ──join──► PreparingRebalance ──all joined──► CompletingRebalance
//     ▲                  ▲      │                            │ leader's SyncGroup
//     └──no members──────┘      └────────────────────────────┤ stored
//                        └──────── member change ◄── Stable ◄┘
// Dead: removed (DeleteGroups, expiry); reachable from every state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace brokkr::groups {

enum class GroupState { empty, preparing_rebalance, completing_rebalance, stable, dead };

// Kafka's names: "Empty", "PreparingRebalance", ... (DescribeGroups, ListGroups).
const char* state_name(GroupState state);
// Case-insensitive, as ListGroups' states filter is.
std::optional<GroupState> parse_state(std::string_view name);
bool valid_transition(GroupState from, GroupState to);

}  // namespace brokkr::groups
