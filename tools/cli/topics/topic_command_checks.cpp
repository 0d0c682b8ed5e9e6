#include "topics/topic_command_checks.hpp"

#include <algorithm>
#include <vector>

#include "common/client_options.hpp"

namespace brokkr::cli::topics {
namespace {

const std::vector<std::string> kActions = {"alter", "create", "describe", "list", "delete"};
const std::vector<std::string> kReplicationReports = {"under-replicated-partitions", "under-min-isr-partitions",
                                                       "at-min-isr-partitions", "unavailable-partitions"};
const std::string kConfigsCliHint =
    " (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)";

// Kafka's CommandLineUtils.checkInvalidArgs: `option`, when given, may not
// appear with any of `invalid`.
void check_invalid(const CommandLine& cl, const std::string& option, const std::vector<std::string>& invalid) {
  if (!cl.has(option)) return;
  for (const auto& other : invalid) {
    if (cl.has(other)) {
      throw UsageError("Option \"[" + option + "]\" can't be used with option \"[" + other + "]\"");
    }
  }
}

// Every action except `allowed`, plus `extra`.
std::vector<std::string> actions_except(const std::vector<std::string>& allowed,
                                        const std::vector<std::string>& extra = {}) {
  std::vector<std::string> out = extra;
  for (const auto& action : kActions) {
    if (std::find(allowed.begin(), allowed.end(), action) == allowed.end()) out.push_back(action);
  }
  return out;
}

}  // namespace

void declare_topic_options(CommandLine& cl) {
  add_connection_options(cl);
  cl.flag("list", "List all available topics.")
      .flag("create", "Create a new topic.")
      .flag("delete", "Delete a topic")
      .flag("alter", "Alter the number of partitions and replica assignment. Update the configuration of an "
                     "existing topic via --alter is no longer supported here" + kConfigsCliHint + ".")
      .flag("describe", "List details for the given topics.")
      .option("topic", "String: topic",
              "The topic to create, alter, describe or delete. It also accepts a regular expression, except for "
              "--create option. Put topic name in double quotes and use the '\\' prefix to escape regular "
              "expression symbols; e.g. \"test\\.topic\".")
      .option("topic-id", "String: topic-id", "The topic-id to describe.")
      .option("config", "String: name=value",
              "A topic configuration override for the topic being created. It is supported only in combination "
              "with --create" + kConfigsCliHint + ".",
              /*repeatable=*/true)
      .option("delete-config", "String: name",
              "A topic configuration override to be removed for an existing topic. Not supported with the "
              "--bootstrap-server option.",
              true)
      .option("partitions", "Integer: # of partitions",
              "The number of partitions for the topic being created or altered (WARNING: If partitions are "
              "increased for a topic that has a key, the partition logic or ordering of the messages will be "
              "affected). If not supplied for create, defaults to the cluster default.")
      .option("replication-factor", "Integer: replication factor",
              "The replication factor for each partition in the topic being created. If not supplied, defaults "
              "to the cluster default.")
      .option("replica-assignment", "String: p0r1:p0r2,p1r1:p1r2,...",
              "A list of manual partition-to-broker assignments for the topic being created or altered: "
              "broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : "
              "broker_id_for_part2_replica2 , ...")
      .flag("under-replicated-partitions", "if set when describing topics, only show under replicated partitions")
      .flag("unavailable-partitions",
            "if set when describing topics, only show partitions whose leader is not available")
      .flag("under-min-isr-partitions",
            "if set when describing topics, only show partitions whose isr count is less than the configured "
            "minimum.")
      .flag("at-min-isr-partitions",
            "if set when describing topics, only show partitions whose isr count is equal to the configured "
            "minimum.")
      .flag("topics-with-overrides", "if set when describing topics, only show topics that have overridden configs")
      .flag("if-exists",
            "if set when altering or deleting or describing topics, the action will only execute if the topic "
            "exists.")
      .flag("if-not-exists",
            "if set when creating topics, the action will only execute if the topic does not already exist.")
      .flag("exclude-internal",
            "exclude internal topics when running list or describe command. The internal topics will be listed "
            "by default");
}

std::string check_topic_arguments(const CommandLine& cl) {
  std::vector<std::string> given;
  for (const auto& action : kActions) {
    if (cl.has(action)) given.push_back(action);
  }
  if (given.size() != 1) {
    throw UsageError("Command must include exactly one action: --list, --describe, --create, --alter or --delete");
  }
  const std::string action = given.front();

  if (!cl.has("bootstrap-server")) throw UsageError("--bootstrap-server must be specified");
  if (action == "describe" && cl.has("if-exists") && !cl.has("topic") && !cl.has("topic-id")) {
    throw UsageError("--topic or --topic-id is required to describe a topic");
  }
  if (action != "list" && action != "describe" && !cl.has("topic")) {
    throw UsageError("Missing required argument \"[topic]\"");
  }
  if (action == "alter") {
    if (cl.has("config")) {
      throw UsageError("Option combination \"[bootstrap-server],[config]\" can't be used with option \"[alter]\"" +
                       kConfigsCliHint);
    }
    if (!cl.has("partitions")) throw UsageError("Missing required argument \"[partitions]\"");
  }

  check_invalid(cl, "config", actions_except({"alter", "create"}));
  check_invalid(cl, "delete-config", actions_except({"alter"}, {"bootstrap-server"}));
  check_invalid(cl, "partitions", actions_except({"alter", "create"}));
  check_invalid(cl, "replication-factor", actions_except({"create"}));
  check_invalid(cl, "replica-assignment", actions_except({"alter", "create"}));
  if (action == "create") check_invalid(cl, "replica-assignment", {"partitions", "replication-factor"});
  for (const auto& report : kReplicationReports) {
    check_invalid(cl, report, actions_except({"describe"}, {"topics-with-overrides"}));
  }
  std::vector<std::string> overrides_invalid = actions_except({"describe"}, kReplicationReports);
  check_invalid(cl, "topics-with-overrides", overrides_invalid);
  check_invalid(cl, "if-exists", actions_except({"alter", "delete", "describe"}));
  check_invalid(cl, "if-not-exists", actions_except({"create"}));
  check_invalid(cl, "exclude-internal", actions_except({"list", "describe"}));
  return action;
}

}  // namespace brokkr::cli::topics
