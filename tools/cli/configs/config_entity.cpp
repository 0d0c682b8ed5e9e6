#include "configs/config_entity.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "common/client_options.hpp"
#include "configs/config_errors.hpp"

namespace brokkr::cli::configs {
namespace {

// Kafka's entity types with --bootstrap-server (ConfigType.all, broker-loggers, client-metrics).
const char* const kKafkaEntityTypes = "topics, clients, users, brokers, ips, broker-loggers, client-metrics";
const std::vector<std::string> kKafkaTypes = {"topics", "clients", "users", "brokers", "ips", "broker-loggers",
                                              "client-metrics"};

bool is_integer(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

void check_invalid(const CommandLine& cl, const std::string& option, const std::vector<std::string>& invalid) {
  if (!cl.has(option)) return;
  for (const auto& other : invalid) {
    if (cl.has(other)) throw UsageError("Option \"[" + option + "]\" can't be used with option \"[" + other + "]\"");
  }
}

}  // namespace

void declare_config_options(CommandLine& cl) {
  add_connection_options(cl);
  cl.flag("alter", "Alter the configuration for the entity.")
      .flag("describe", "List configs for the given entity.")
      .flag("all", "List all configs for the given topic or broker entity (includes static configuration when the "
                   "entity type is brokers)")
      .option("entity-type", "String", "Type of entity (topics/brokers)", /*repeatable=*/true)
      .option("entity-name", "String", "Name of entity (topic name/broker id)", true)
      .flag("entity-default", "Default entity name for brokers (applies to corresponding entity type in command line)")
      .option("add-config", "String",
              "Key Value pairs of configs to add. Square brackets can be used to group values which contain "
              "commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.")
      .option("add-config-file", "String",
              "Path to a properties file with configs to add. See add-config for a list of valid configurations.")
      .option("delete-config", "String", "config keys to remove 'k1,k2'", true)
      .flag("force", "Suppress console prompts")
      .option("topic", "String", "The topic's name.")
      .option("broker", "String", "The broker's ID.")
      .flag("broker-defaults", "The config defaults for all brokers.");
}

ConfigEntity check_config_arguments(const CommandLine& cl) {
  if (cl.has("alter") == cl.has("describe")) {
    throw UsageError("Command must include exactly one action: --describe, --alter");
  }
  check_invalid(cl, "describe", {"alter", "add-config", "delete-config"});

  std::vector<std::string> types = cl.values("entity-type");
  if (cl.has("topic")) types.push_back("topics");
  if (cl.has("broker") || cl.has("broker-defaults")) types.push_back("brokers");
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (std::count(types.begin(), types.end(), types[i]) > 1) {
      throw ArgumentError("Duplicate entity type(s) specified: " + types[i]);
    }
  }
  for (const auto& type : types) {
    if (std::find(kKafkaTypes.begin(), kKafkaTypes.end(), type) == kKafkaTypes.end()) {
      throw ArgumentError("Invalid entity type " + type + ", the entity type must be one of " + kKafkaEntityTypes +
                          " with a --bootstrap-server or --bootstrap-controller argument");
    }
  }
  if (types.empty()) throw ArgumentError("At least one entity type must be specified");
  if (types.size() > 1) throw ArgumentError("Only 'users' and 'clients' entity types may be specified together");
  const bool generic = cl.has("entity-name") || cl.has("entity-type") || cl.has("entity-default");
  const bool shortcut = cl.has("topic") || cl.has("broker") || cl.has("broker-defaults");
  if (generic && shortcut) {
    throw ArgumentError("--entity-{type,name,default} should not be used in conjunction with specific entity flags");
  }
  if (!cl.has("bootstrap-server")) {
    // Kafka 3.7's text, typo included.
    throw ArgumentError(
        "One of the required --bootstrap-server, --boostrap-controller, or --zookeeper arguments must be specified");
  }

  ConfigEntity entity{types.front(), std::nullopt};
  if (entity.type != "topics" && entity.type != "brokers") {
    throw ArgumentError("The entity type " + entity.type + " is not supported by brokkr-configs (topics, brokers)");
  }
  auto names = cl.values("entity-name");
  if (auto topic = cl.value("topic")) names.push_back(*topic);
  if (auto broker = cl.value("broker")) names.push_back(*broker);
  const bool wants_default = cl.has("entity-default") || cl.has("broker-defaults");
  if (names.size() + (wants_default ? 1 : 0) > 1) {
    throw ArgumentError("An entity name must be specified for every entity type");
  }
  if (!names.empty()) entity.name = names.front();
  if (wants_default) entity.name = "";

  if (entity.type == "brokers" && entity.name && !entity.name->empty() && !is_integer(*entity.name)) {
    throw ArgumentError("The entity name for brokers must be a valid integer broker id, but it is: " + *entity.name);
  }
  if (cl.has("alter")) {
    if (entity.type == "brokers" && !entity.name) {
      throw ArgumentError("an entity-name or default entity must be specified with --alter of users, clients, "
                          "brokers or ips");
    }
    if (entity.type == "topics" && (!entity.name || entity.name->empty())) {
      throw ArgumentError("an entity name must be specified with --alter of topics");
    }
    if (cl.has("add-config") && cl.has("add-config-file")) {
      throw ArgumentError("Only one of --add-config or --add-config-file must be specified");
    }
    if (!cl.has("add-config") && !cl.has("add-config-file") && !cl.has("delete-config")) {
      throw ArgumentError(
          "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter");
    }
  }
  return entity;
}

}  // namespace brokkr::cli::configs
