// --list [--state [states]] [--type [types]]: group ids one per line, or with
// --state/--type Kafka's table: GROUP as wide as the longest id (at least 15)
// plus 10, then TYPE and STATE 20 wide each.
#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "table.hpp"

namespace brokkr::cli::groups {
namespace {

// "stable,Empty" -> {"Stable", "Empty"}; UsageError naming the valid names.
std::vector<std::string> parse_names(const std::string& input, bool states) {
  std::vector<std::string> out;
  if (input.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    auto comma = input.find(',', start);
    std::string name = input.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    auto canonical = states ? canonical_state(name) : canonical_type(name);
    if (!canonical) {
      if (states) {
        std::string valid;
        for (const auto& s : group_state_names()) valid += (valid.empty() ? "" : ", ") + s;
        throw UsageError("Invalid state list '" + input + "'. Valid states are: " + valid);
      }
      throw UsageError("Invalid types list '" + input + "'. Valid types are: Consumer, Classic, Share");
    }
    if (std::find(out.begin(), out.end(), *canonical) == out.end()) out.push_back(*canonical);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

int list_command(const CommandLine& command_line, client::Cluster& cluster) {
  const bool with_state = command_line.has("state");
  const bool with_type = command_line.has("type");
  if (!with_state && !with_type) {
    for (const auto& listing : list_consumer_groups(cluster, {}, {})) std::cout << listing.group_id << '\n';
    return 0;
  }
  auto states = parse_names(command_line.value("state").value_or(""), true);
  auto types = parse_names(command_line.value("type").value_or(""), false);
  auto listings = list_consumer_groups(cluster, states, types);
  std::size_t width = 15;
  for (const auto& listing : listings) width = std::max(width, listing.group_id.size());
  width += 10;
  auto line = [&](const std::string& group, const std::string& type, const std::string& state) {
    std::cout << pad(group, width);
    if (with_type) std::cout << ' ' << pad(type, 20);
    if (with_state) std::cout << ' ' << pad(state, 20);
    std::cout << '\n';
  };
  line("GROUP", "TYPE", "STATE");
  for (const auto& listing : listings) line(listing.group_id, listing.type, listing.state);
  return 0;
}

}  // namespace brokkr::cli::groups
