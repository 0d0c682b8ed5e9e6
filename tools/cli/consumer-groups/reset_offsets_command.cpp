// --reset-offsets: for each selected group that is inactive (Empty, or Dead:
// unknown yet), computes the new offsets, commits them with --execute (as an
// admin: generation -1, no member id), and prints the plan as Kafka's
// printOffsetsToReset (GROUP 30, TOPIC 30, PARTITION 10, NEW-OFFSET 15) or,
// with --export, as CSV.
#include <iostream>

#include "client/offsets.hpp"
#include "commands.hpp"
#include "reset_plan.hpp"
#include "table.hpp"

namespace brokkr::cli::groups {
namespace {

void print_table(const std::map<std::string, OffsetPlan>& plans) {
  auto line = [](const std::string& group, const std::string& topic, const std::string& partition,
                 const std::string& offset) {
    std::cout << '\n' << pad(group, 30) << ' ' << pad(topic, 30) << ' ' << pad(partition, 10) << ' ' << pad(offset, 15);
  };
  if (!plans.empty()) line("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
  for (const auto& [group, plan] : plans) {
    for (const auto& [tp, offset] : plan) line(group, tp.topic, std::to_string(tp.partition), std::to_string(offset));
  }
  std::cout << '\n';
}

void print_csv(const std::map<std::string, OffsetPlan>& plans, bool single_group) {
  for (const auto& [group, plan] : plans) {
    for (const auto& [tp, offset] : plan) {
      if (!single_group) std::cout << group << ',';
      std::cout << tp.topic << ',' << tp.partition << ',' << offset << '\n';
    }
  }
  std::cout << '\n';
}

}  // namespace

int reset_offsets_command(const CommandLine& command_line, client::Cluster& cluster) {
  const bool execute = command_line.has("execute");
  std::map<std::string, OffsetPlan> plans;
  bool failed = false;
  for (const auto& group_id : selected_groups(command_line, cluster)) {
    auto group = describe_group(cluster, group_id);
    if (group.state != "Empty" && group.state != "Dead") {
      std::cerr << "Error: Assignments can only be reset if the group '" << group_id
                << "' is inactive, but the current state is " << group.state << ".\n";
      plans[group_id];
      failed = true;
      continue;
    }
    auto plan = plan_reset(command_line, cluster, group_id, partitions_to_reset(command_line, cluster, group_id));
    if (execute && !plan.empty()) {
      std::map<client::TopicPartition, client::CommittedOffset> offsets;
      for (const auto& [tp, offset] : plan) offsets[tp] = client::CommittedOffset{offset, -1, ""};
      client::commit_offsets(cluster, group_id, offsets, client::CommitIdentity{-1, "", std::nullopt});
    }
    plans[group_id] = std::move(plan);
  }
  if (command_line.has("export")) {
    print_csv(plans, command_line.values("group").size() == 1);
  } else {
    print_table(plans);
  }
  return failed ? 1 : 0;
}

}  // namespace brokkr::cli::groups
