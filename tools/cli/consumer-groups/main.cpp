// brokkr-consumer-groups: Kafka's kafka-consumer-groups.sh (flags, checks,
// messages and tables of ConsumerGroupCommand in Kafka 3.7+). Lists,
// describes and deletes consumer groups, resets and deletes their offsets.
#include <iostream>
#include <string>
#include <vector>

#include "client/cluster.hpp"
#include "commands.hpp"
#include "common/client_options.hpp"
#include "common/command_line.hpp"

using brokkr::cli::CommandLine;
using brokkr::cli::UsageError;

namespace {

const std::vector<std::string> kActions{"list", "describe", "delete", "reset-offsets", "delete-offsets"};
const std::vector<std::string> kResetScenarios{"to-offset", "shift-by",  "to-datetime", "by-duration",
                                               "to-earliest", "to-latest", "to-current", "from-file"};

void declare_options(CommandLine& c) {
  brokkr::cli::add_connection_options(c);
  c.flag("list", "List all consumer groups.")
      .flag("describe", "Describe consumer group and list offset lag (number of messages not yet processed) related to given group.")
      .flag("delete", "Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2")
      .flag("reset-offsets", "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive. Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format. You must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset. To define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'.")
      .flag("delete-offsets", "Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.")
      .option("group", "String: consumer group", "The consumer group we wish to act on.", true)
      .flag("all-groups", "Apply to all consumer groups.")
      .option("topic", "String: topic", "The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.", true)
      .flag("all-topics", "Consider all topics assigned to a group in the `reset-offsets` process.")
      .option("timeout", "Long: timeout (ms)", "The timeout that can be set for some use cases (default: 5000).")
      .flag("members", "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.")
      .flag("verbose", "Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.")
      .flag("offsets", "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.")
      .optional_value_option("state", "String", "When specified with '--describe', includes the state of the group. When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states (e.g. --list --state stable,empty).")
      .optional_value_option("type", "String", "When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types (e.g. --list --type classic,consumer).")
      .flag("dry-run", "Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.")
      .flag("execute", "Execute operation. Supported operations: reset-offsets.")
      .flag("export", "Export operation execution to a CSV file. Supported operations: reset-offsets.")
      .option("to-offset", "Long: offset", "Reset offsets to a specific offset.")
      .option("from-file", "String: path to CSV file", "Reset offsets to values defined in CSV file.")
      .option("to-datetime", "String: datetime", "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'")
      .option("by-duration", "String: duration", "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'")
      .flag("to-earliest", "Reset offsets to earliest offset.")
      .flag("to-latest", "Reset offsets to latest offset.")
      .flag("to-current", "Reset offsets to current offset.")
      .option("shift-by", "Long: number-of-offsets", "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.");
}

void require_one_of_groups(const CommandLine& c, const std::string& action) {
  if (!c.has("group") && !c.has("all-groups")) {
    throw UsageError("Option [" + action + "] takes one of these options: [group], [all-groups]");
  }
}

void reject_with(const CommandLine& c, const std::string& used, const std::vector<std::string>& others) {
  if (!c.has(used)) return;
  for (const auto& other : others) {
    if (c.has(other)) throw UsageError("Option \"[" + used + "]\" can't be used with option \"[" + other + "]\"");
  }
}

// Kafka's ConsumerGroupCommandOptions.checkArgs, then the one-action rule.
void check_arguments(const CommandLine& c) {
  if (!c.has("bootstrap-server")) throw UsageError("Missing required argument \"[bootstrap-server]\"");
  auto unavailable = [&](const std::string& option, const std::vector<std::string>& needs) {
    if (!c.has(option)) return;
    for (const auto& n : needs) {
      if (c.has(n)) return;
    }
    throw UsageError("Option(s) [" + option + "] are unavailable given other options on the command line");
  };
  unavailable("members", {"describe"});
  unavailable("verbose", {"describe"});
  unavailable("offsets", {"describe"});
  unavailable("state", {"describe", "list"});
  unavailable("type", {"list"});

  if (c.has("describe")) {
    require_one_of_groups(c, "describe");
    int views = c.has("members") + c.has("offsets") + c.has("state");
    if (views > 1) throw UsageError("Option [describe] takes at most one of these options: [members], [offsets], [state]");
    if (c.has("state") && !c.value("state")->empty()) throw UsageError("Option [describe] does not take a value for [state]");
  }
  if (c.has("delete")) {
    require_one_of_groups(c, "delete");
    if (c.has("topic")) throw UsageError("The consumer does not support topic-specific offset deletion from a consumer group.");
  }
  if (c.has("delete-offsets") && (!c.has("group") || !c.has("topic"))) {
    throw UsageError("Option [delete-offsets] takes the following options: [group], [topic]");
  }
  if (c.has("reset-offsets")) {
    if (c.has("dry-run") && c.has("execute")) throw UsageError("Option [reset-offsets] only accepts one of [execute] and [dry-run]");
    if (!c.has("dry-run") && !c.has("execute")) {
      std::cerr << "WARN: No action will be performed as the --execute option is missing.In a future major release, "
                   "the default behavior of this command will be to prompt the user before executing the reset rather "
                   "than doing a dry run. You should add the --dry-run option explicitly if you are scripting this "
                   "command and want to keep the current default behavior without prompting.\n";
    }
    require_one_of_groups(c, "reset-offsets");
    for (const auto& scenario : kResetScenarios) {
      std::vector<std::string> others;
      for (const auto& s : kResetScenarios) {
        if (s != scenario) others.push_back(s);
      }
      reject_with(c, scenario, others);
    }
  }
  reject_with(c, "group", {"all-groups"});
  reject_with(c, "group", {"list"});
  reject_with(c, "topic", {"list", "describe"});

  int actions = 0;
  for (const auto& a : kActions) actions += c.has(a);
  if (actions != 1) {
    throw UsageError("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets");
  }
}

int run(const CommandLine& c) {
  check_arguments(c);
  auto properties = brokkr::cli::connection_properties(c);
  if (c.has("timeout")) properties.set("request.timeout.ms", std::to_string(c.int_value("timeout", 5000)));
  properties.set_default("client.id", "brokkr-consumer-groups");
  brokkr::client::Cluster cluster(properties);
  namespace g = brokkr::cli::groups;
  if (c.has("list")) return g::list_command(c, cluster);
  if (c.has("describe")) return g::describe_command(c, cluster);
  if (c.has("delete")) return g::delete_command(c, cluster);
  if (c.has("reset-offsets")) return g::reset_offsets_command(c, cluster);
  return g::delete_offsets_command(c, cluster);
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine command_line(
      "brokkr-consumer-groups",
      "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset "
      "consumer group offsets.");
  declare_options(command_line);
  return brokkr::cli::run_tool(command_line, argc, argv, "Error: Executing consumer group command failed due to ",
                               run);
}
