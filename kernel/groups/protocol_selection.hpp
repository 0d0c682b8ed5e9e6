// Which assignor a classic group uses: among the protocols every member
// supports, each member votes for its most preferred one and the most votes
// win (Kafka's rule). Ties go to the protocol the first member prefers.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "groups/member.hpp"

namespace brokkr::groups {

// Protocols supported by every member of `members` (empty if none).
std::set<std::string> common_protocols(const std::map<std::string, Member>& members);
// Whether a member with `protocols` can join `members` (some protocol all share).
bool shares_a_protocol(const std::map<std::string, Member>& members, const std::vector<Protocol>& protocols);
// The group's protocol by vote; none when the members share no protocol.
std::optional<std::string> select_protocol(const std::map<std::string, Member>& members);

}  // namespace brokkr::groups
