// --describe --state: Kafka's printStates. The GROUP column is as wide as the
// coordinator text (at least 25), as in Kafka; the coordinator is
// "host:port  (id)".
#include <algorithm>
#include <iostream>

#include "describe_views.hpp"
#include "table.hpp"

namespace brokkr::cli::groups {

void describe_state(const GroupDescription& group, bool& failed) {
  if (!report_group_state(group, 1, failed)) return;
  std::string coordinator = group.coordinator.host + ":" + std::to_string(group.coordinator.port) + "  (" +
                            std::to_string(group.coordinator.node_id) + ")";
  std::size_t width = std::max<std::size_t>(25, coordinator.size());
  auto line = [&](const std::string& g, const std::string& c, const std::string& strategy, const std::string& state,
                  const std::string& members) {
    std::cout << '\n' << pad(g, width) << ' ' << pad(c, 25) << ' ' << pad(strategy, 20) << ' ' << pad(state, 15)
              << ' ' << members;
  };
  line("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS");
  line(group.group_id, coordinator, group.assignor, group.state, std::to_string(group.members.size()));
  std::cout << '\n';
}

}  // namespace brokkr::cli::groups
