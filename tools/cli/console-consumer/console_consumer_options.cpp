#include "console_consumer_options.hpp"

#include <algorithm>
#include <iostream>
#include <random>
#include <set>

#include "client/client_error.hpp"
#include "common/client_options.hpp"

namespace brokkr::cli {
namespace {

std::int64_t parse_offset(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "earliest") return -2;
  if (lower == "latest") return -1;
  auto invalid = [&]() {
    return UsageError("The provided offset value '" + text +
                      "' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.");
  };
  if (text.empty()) throw invalid();
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    throw invalid();
  }
  if (used != text.size() || value < 0) throw invalid();
  return value;
}

}  // namespace

void add_console_consumer_options(CommandLine& c) {
  add_connection_options(c);
  c.option("topic", "topic", "The topic to consume on.");
  c.option("include", "Java regex (String)", "Regular expression specifying list of topics to include for consumption.");
  c.option("partition", "partition",
           "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.");
  c.option("offset", "consume offset",
           "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end (default: latest)");
  c.option("consumer-property", "consumer_prop",
           "A mechanism to pass user-defined properties in the form key=value to the consumer.", true);
  c.option("consumer.config", "config file",
           "Consumer config properties file. Note that [consumer-property] takes precedence over this config.");
  c.option("formatter", "class",
           "The name of a class to use for formatting kafka messages for display. Only the default, org.apache.kafka.tools.consumer.DefaultMessageFormatter, is available.");
  c.option("property", "prop",
           "The properties to initialize the message formatter. Default properties include: print.timestamp=true|false "
           "print.key=true|false print.offset=true|false print.epoch=true|false print.partition=true|false "
           "print.headers=true|false print.value=true|false key.separator=<key.separator> "
           "line.separator=<line.separator> headers.separator=<line.separator> null.literal=<null.literal>",
           true);
  c.option("formatter-config", "config file",
           "Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.");
  c.flag("from-beginning",
         "If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.");
  c.option("max-messages", "num_messages",
           "The maximum number of messages to consume before exiting. If not set, consumption is continual.");
  c.option("timeout-ms", "timeout_ms",
           "If specified, exit if no message is available for consumption for the specified interval.");
  c.flag("skip-message-on-error", "If there is an error when processing a message, skip it instead of halt.");
  c.option("key-deserializer", "deserializer for key", "Accepted for compatibility: keys are printed as bytes.");
  c.option("value-deserializer", "deserializer for values", "Accepted for compatibility: values are printed as bytes.");
  c.flag("enable-systest-events",
         "Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)");
  c.option("isolation-level", "String",
           "Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages. (default: read_uncommitted)");
  c.option("group", "consumer group id", "The consumer group id of the consumer.");
  c.option("group-protocol", "classic|consumer",
           "The group protocol: classic (default) or consumer (KIP-848); the same as --consumer-property group.protocol=<protocol>.");
}

ConsoleConsumerOptions parse_console_consumer_options(const CommandLine& c) {
  ConsoleConsumerOptions o;
  o.topic = c.value("topic");
  o.include = c.value("include");
  if (o.topic.has_value() == o.include.has_value()) {
    throw UsageError("Exactly one of --include/--topic is required. ");
  }
  if (c.has("partition")) {
    auto p = c.int_value("partition", 0);
    if (!o.topic) throw UsageError("The topic is required when partition is specified.");
    if (c.has("from-beginning") && c.has("offset")) {
      throw UsageError("Options from-beginning and offset cannot be specified together.");
    }
    o.partition = static_cast<std::int32_t>(p);
  } else if (c.has("offset")) {
    throw UsageError("The partition is required when offset is specified.");
  }
  if (!c.has("bootstrap-server")) throw UsageError("Missing required argument \"[bootstrap-server]\"");

  auto from_file = config_file_properties(c, {"consumer.config", "command-config"});
  client::Properties extra;
  apply_pairs(extra, c.values("consumer-property"), PairSyntax::kMissingValue);
  apply_flag(extra, c, "group-protocol", "group.protocol");

  // One group id, however it is given.
  std::set<std::string> groups;
  if (auto g = c.value("group")) groups.insert(*g);
  if (auto g = from_file.get("group.id")) groups.insert(*g);
  if (auto g = extra.get("group.id")) groups.insert(*g);
  if (groups.size() > 1) {
    std::string list;
    for (const auto& g : groups) list += (list.empty() ? "'" : ", '") + g + "'";
    throw UsageError("The group ids provided in different places (directly using '--group', via '--consumer-property', "
                     "or via '--consumer.config') do not match. Detected group ids: " + list);
  }
  if (!groups.empty() && o.partition) throw UsageError("Options group and partition cannot be specified together.");

  auto& props = o.consumer_properties;
  props = from_file;
  props.merge(extra);
  if (auto reset = props.get("auto.offset.reset")) {
    if (c.has("from-beginning") && *reset != "earliest") {
      // Kafka prints this alone (no usage) and exits 1.
      throw client::ClientError("Can't simultaneously specify --from-beginning and 'auto.offset.reset=" + *reset +
                                "', please remove one option");
    }
  } else {
    props.set("auto.offset.reset", c.has("from-beginning") ? "earliest" : "latest");
  }
  apply_flag(props, c, "bootstrap-server", "bootstrap.servers");
  props.set_default("client.id", "console-consumer");
  apply_flag(props, c, "isolation-level", "isolation.level", "read_uncommitted");
  if (groups.empty()) {
    std::random_device random;
    props.set("group.id", "console-consumer-" + std::to_string(std::uniform_int_distribution<int>(0, 99999)(random)));
    // The generated group is not meant to be used again: no commits by default.
    props.set_default("enable.auto.commit", "false");
  } else {
    props.set("group.id", *groups.begin());
  }

  if (auto formatter = c.value("formatter")) {
    static const std::set<std::string> kDefault = {"org.apache.kafka.tools.consumer.DefaultMessageFormatter",
                                                   "kafka.tools.DefaultMessageFormatter", "DefaultMessageFormatter"};
    if (kDefault.count(*formatter) == 0) throw UsageError(*formatter);  // Kafka prints the ClassNotFoundException message
  }
  o.formatter_properties = layered_properties(c, {"formatter-config"}, "property", PairSyntax::kMissingValue).all();

  o.offset = c.has("offset") ? parse_offset(*c.value("offset")) : (c.has("from-beginning") ? -2 : -1);
  o.max_messages = c.int_value("max-messages", -1);
  o.timeout_ms = c.int_value("timeout-ms", -1);
  o.skip_message_on_error = c.has("skip-message-on-error");
  return o;
}

}  // namespace brokkr::cli
