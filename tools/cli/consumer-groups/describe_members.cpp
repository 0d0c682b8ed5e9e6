// --describe --members [--verbose]: one row per member, as Kafka's
// printMembers: GROUP, CONSUMER-ID, [GROUP-INSTANCE-ID,] HOST and CLIENT-ID as
// wide as their widest value (at least 15, 17 for GROUP-INSTANCE-ID),
// #PARTITIONS 15 and a space, then ASSIGNMENT with --verbose. The header is
// printed even when the group has no members.
#include <algorithm>
#include <iostream>
#include <map>

#include "describe_views.hpp"
#include "table.hpp"

namespace brokkr::cli::groups {
namespace {

// "topic1(0,1), topic2(2)"; "-" for none.
std::string assignment_text(const std::vector<client::TopicPartition>& assignment) {
  if (assignment.empty()) return "-";
  std::map<std::string, std::vector<std::int32_t>> by_topic;
  for (const auto& tp : assignment) by_topic[tp.topic].push_back(tp.partition);
  std::string out;
  for (auto& [topic, partitions] : by_topic) {
    std::sort(partitions.begin(), partitions.end());
    if (!out.empty()) out += ", ";
    out += topic + "(";
    for (std::size_t i = 0; i < partitions.size(); ++i) out += (i ? "," : "") + std::to_string(partitions[i]);
    out += ")";
  }
  return out;
}

}  // namespace

void describe_members(const GroupDescription& group, bool verbose, bool& failed) {
  std::size_t group_width = 15, consumer_width = 15, instance_width = 17, host_width = 15, client_width = 15;
  bool with_instance_id = false;
  if (report_group_state(group, group.members.size(), failed)) {
    group_width = std::max(group_width, group.group_id.size());
    for (const auto& m : group.members) {
      consumer_width = std::max(consumer_width, m.member_id.size());
      instance_width = std::max(instance_width, m.instance_id.value_or("").size());
      host_width = std::max(host_width, m.host.size());
      client_width = std::max(client_width, m.client_id.size());
      with_instance_id = with_instance_id || !m.instance_id.value_or("").empty();
    }
  }
  auto columns = [&](const std::string& g, const std::string& consumer, const std::string& instance,
                     const std::string& host, const std::string& client, const std::string& count) {
    std::cout << pad(g, group_width) << ' ' << pad(consumer, consumer_width) << ' ';
    if (with_instance_id) std::cout << pad(instance, instance_width) << ' ';
    std::cout << pad(host, host_width) << ' ' << pad(client, client_width) << ' ' << pad(count, 15) << ' ';
  };
  std::cout << '\n';
  columns("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
  if (verbose) std::cout << "ASSIGNMENT";
  std::cout << '\n';
  if (group.state == "Dead") return;
  for (const auto& m : group.members) {
    columns(group.group_id, m.member_id, m.instance_id.value_or(""), m.host, m.client_id,
            std::to_string(m.assignment.size()));
    if (verbose) std::cout << assignment_text(m.assignment);
    std::cout << '\n';
  }
}

}  // namespace brokkr::cli::groups
