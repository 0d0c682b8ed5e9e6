#include <algorithm>
#include <charconv>
#include <iostream>
#include <set>

#include "commands.hpp"

namespace brokkr::cli::groups {

std::vector<std::string> selected_groups(const CommandLine& command_line, client::Cluster& cluster) {
  std::set<std::string> groups;
  if (command_line.has("all-groups")) {
    for (const auto& listing : list_consumer_groups(cluster, {}, {})) groups.insert(listing.group_id);
  } else {
    for (const auto& g : command_line.values("group")) groups.insert(g);
  }
  return {groups.begin(), groups.end()};
}

bool report_group_state(const GroupDescription& group, std::size_t rows, bool& failed) {
  const auto& state = group.state;
  if (state == "Dead") {
    std::cerr << "Error: Consumer group '" << group.group_id << "' does not exist.\n";
    failed = true;
    return false;
  }
  if (state == "Empty") {
    std::cerr << "\nConsumer group '" << group.group_id << "' has no active members.\n";
  } else if (state == "PreparingRebalance" || state == "CompletingRebalance" || state == "Assigning" ||
             state == "Reconciling") {
    std::cerr << "\nWarning: Consumer group '" << group.group_id << "' is rebalancing.\n";
  }
  return rows > 0;
}

namespace {

std::int32_t parse_partition(const std::string& text, const std::string& argument) {
  std::int32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError("Invalid partition '" + text + "' specified in topic arg '" + argument + "''");
  }
  return value;
}

}  // namespace

std::vector<client::TopicPartition> topic_arguments(const std::vector<std::string>& arguments,
                                                    client::Cluster& cluster) {
  std::set<client::TopicPartition> out;
  for (const auto& argument : arguments) {
    auto colon = argument.find(':');
    if (colon == std::string::npos) {
      for (auto& tp : partitions_of(cluster, argument)) out.insert(std::move(tp));
      continue;
    }
    std::string topic = argument.substr(0, colon);
    std::string list = argument.substr(colon + 1);
    if (topic.empty() || list.empty() || list.find(':') != std::string::npos) {
      throw UsageError("Invalid topic arg '" + argument + "', expected topic name and partitions");
    }
    std::size_t start = 0;
    for (;;) {
      auto comma = list.find(',', start);
      out.insert({topic, parse_partition(list.substr(start, comma - start), argument)});
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace brokkr::cli::groups
