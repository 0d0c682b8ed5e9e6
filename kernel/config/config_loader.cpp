#include "config/config_loader.hpp"

#include <charconv>
#include <limits>

#include "config/toml_reader.hpp"
#include "config/topic_config_schema.hpp"

namespace brokkr::config {

namespace {

constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
const std::set<std::string> kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
const std::set<std::string> kSecurityProtocols = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};

// ---- TOML input ----

toml::table parse_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw ConfigError(file.string() + ": " +
                      (std::filesystem::exists(file, ec) ? "not a regular file" : "no such file"));
  }
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(file.string() + ":" + std::to_string(where.line) + ":" +
                      std::to_string(where.column) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    throw ConfigError(file.string() + ": cannot read: " + e.what());
  }
}

// The value of an override is TOML ("8", "true", "[\"a\"]", "\"x\"") or, if
// it does not parse as TOML, a bare string.
void apply_override(toml::table& root, const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError("--override " + text + ": expected dotted.key=value");
  }
  std::string path = text.substr(0, eq);
  std::string raw = text.substr(eq + 1);
  toml::table holder;
  try {
    holder = toml::parse("v = " + raw);
  } catch (const toml::parse_error&) {
    holder = toml::table{};
    holder.insert("v", raw);
  }
  toml::table* table = &root;
  std::size_t start = 0;
  while (true) {
    auto dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) throw ConfigError("--override " + text + ": empty key segment");
    if (dot == std::string::npos) {
      table->insert_or_assign(part, *holder.get("v"));
      return;
    }
    auto* node = table->get(part);
    if (!node) {
      table->insert(part, toml::table{});
      node = table->get(part);
    }
    if (!node->is_table()) {
      throw ConfigError("--override " + text + ": " + path.substr(0, dot) + " is not a table");
    }
    table = node->as_table();
    start = dot + 1;
  }
}

// ---- sections ----

void read_broker(TomlReader r, BrokerConfig& config) {
  if (auto v = r.integer("node_id", 0, kInt32Max)) config.node_id = static_cast<std::int32_t>(*v);
  if (auto v = r.string("data_dir")) {
    if (v->empty()) r.fail("data_dir", "must not be empty");
    config.data_dir = *v;
  }
  if (auto v = r.string("rack")) config.rack = v->empty() ? std::nullopt : std::optional(*v);
  r.reject_unknown_keys();
}

ListenerConfig read_listener(TomlReader r) {
  ListenerConfig listener;
  if (auto v = r.string("name")) {
    if (v->empty()) r.fail("name", "must not be empty");
    listener.name = *v;
  }
  if (auto v = r.string("security_protocol")) {
    if (!kSecurityProtocols.count(*v)) {
      r.fail_value("security_protocol", *r.raw().get("security_protocol"),
                   "must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    }
    if (*v != "PLAINTEXT") {
      r.fail_value("security_protocol", *r.raw().get("security_protocol"),
                   "only PLAINTEXT listeners are supported in this release");
    }
    listener.security_protocol = *v;
  }
  if (auto v = r.string("listen")) listener.listen = parse_host_port(r.qualified("listen"), *v);
  if (auto v = r.string("advertise")) {
    listener.advertise = parse_host_port(r.qualified("advertise"), *v);
    if (listener.advertise->port == 0) r.fail("advertise", "port must not be 0");
  }
  r.reject_unknown_keys();
  return listener;
}

void read_listeners(const toml::array& items, BrokerConfig& config) {
  config.listeners.clear();
  std::set<std::string> names;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string path = "listeners[" + std::to_string(i) + "]";
    const toml::table* table = items[i].as_table();
    if (!table) throw ConfigError(path + ": must be a table ([[listeners]])");
    ListenerConfig listener = read_listener(TomlReader(*table, path));
    if (!names.insert(listener.name).second) {
      throw ConfigError(path + ".name = \"" + listener.name + "\": duplicate listener name");
    }
    config.listeners.push_back(listener);
  }
  if (config.listeners.empty()) throw ConfigError("listeners: at least one listener is required");
}

void read_network(TomlReader r, NetworkConfig& network) {
  if (auto v = r.integer("max_request_bytes", 1024, kInt32Max)) network.max_request_bytes = static_cast<std::int32_t>(*v);
  if (auto v = r.integer("io_threads", 1, 256)) network.io_threads = static_cast<std::int32_t>(*v);
  if (auto v = r.integer("handler_threads", 1, 256)) network.handler_threads = static_cast<std::int32_t>(*v);
  if (auto v = r.integer("max_inflight_requests_per_connection", 1, 1024)) {
    network.max_inflight_requests_per_connection = static_cast<std::int32_t>(*v);
  }
  if (auto v = r.integer("shutdown_timeout_ms", 0, kInt32Max)) network.shutdown_timeout_ms = static_cast<std::int32_t>(*v);
  if (auto v = r.integer("max_decompressed_batch_bytes", 1024, kInt32Max)) {
    network.max_decompressed_batch_bytes = static_cast<std::int32_t>(*v);
  }
  r.reject_unknown_keys();
}

std::string read_level(TomlReader& r, const std::string& key) {
  auto level = r.string(key);
  if (!kLogLevels.count(*level)) {
    r.fail_value(key, *r.raw().get(key), "must be one of trace, debug, info, warn, error, critical, off");
  }
  return *level;
}

void read_logging(TomlReader r, LoggingConfig& logging) {
  if (r.raw().contains("level")) logging.level = read_level(r, "level");
  if (const toml::table* components = r.table("components")) {
    TomlReader c(*components, r.qualified("components"));
    for (const auto& [key, value] : *components) {
      std::string name(key.str());
      logging.components[name] = read_level(c, name);
    }
  }
  r.reject_unknown_keys();
}

sdk::ConfigValue to_sdk_value(const toml::node& node, const std::string& path);

sdk::ConfigTable to_sdk_table(const toml::table& table, const std::string& path) {
  sdk::ConfigTable out(path);
  for (const auto& [key, value] : table) {
    std::string name(key.str());
    out.set(name, to_sdk_value(value, path + "." + name));
  }
  return out;
}

sdk::ConfigValue to_sdk_value(const toml::node& node, const std::string& path) {
  if (auto v = node.value_exact<bool>()) return {*v};
  if (auto v = node.value_exact<std::int64_t>()) return {*v};
  if (auto v = node.value_exact<double>()) return {*v};
  if (auto v = node.value_exact<std::string>()) return {*v};
  if (const toml::array* items = node.as_array()) {
    sdk::ConfigArray array;
    for (const auto& item : *items) array.push_back(to_sdk_value(item, path));
    return {array};
  }
  if (const toml::table* table = node.as_table()) {
    return {std::make_shared<sdk::ConfigTable>(to_sdk_table(*table, path))};
  }
  throw ConfigError(path + ": dates and times are not supported here");
}

void read_plugins(TomlReader r, PluginsConfig& plugins) {
  if (auto v = r.string_list("directories")) {
    plugins.directories.assign(v->begin(), v->end());
  }
  if (auto v = r.string("coordination")) {
    if (v->empty()) r.fail("coordination", "must name a coordination plugin");
    plugins.coordination = *v;
  }
  if (auto v = r.string("storage")) {
    if (v->empty()) r.fail("storage", "must name a storage plugin");
    plugins.storage = *v;
  }
  if (auto v = r.string_list("codecs")) plugins.codecs = *v;
  if (auto v = r.string_list("assignors")) plugins.assignors = *v;
  // Every sub-table configures the plugin of that name.
  for (const auto& [key, value] : r.raw()) {
    if (const toml::table* table = value.as_table()) {
      std::string name(key.str());
      r.mark_read(name);
      plugins.settings[name] = to_sdk_table(*table, r.qualified(name));
    }
  }
  r.reject_unknown_keys();
  // A sub-table for a plugin that is not selected is a typo waiting to bite.
  std::set<std::string> selected(plugins.assignors.begin(), plugins.assignors.end());
  selected.insert(plugins.codecs.begin(), plugins.codecs.end());
  selected.insert(plugins.coordination);
  selected.insert(plugins.storage);
  for (const auto& [name, table] : plugins.settings) {
    if (!selected.count(name)) {
      r.fail(name, "configures plugin '" + name + "', which is not selected in [plugins]");
    }
  }
}

void read_topics(TomlReader r, TopicsConfig& topics) {
  if (auto v = r.boolean("auto_create")) topics.auto_create = *v;
  if (auto v = r.integer("num_partitions", 1, 1000000)) topics.num_partitions = static_cast<std::int32_t>(*v);
  if (auto v = r.integer("replication_factor", 1, 32767)) {
    topics.replication_factor = static_cast<std::int16_t>(*v);
  }
  if (const toml::table* table = r.table("config")) {
    TomlReader c(*table, r.qualified("config"));
    for (const auto& [key, value] : *table) {
      std::string name(key.str());
      c.mark_read(name);
      std::string text;
      if (auto s = value.value_exact<std::string>()) {
        text = *s;
      } else if (auto i = value.value_exact<std::int64_t>()) {
        text = std::to_string(*i);
      } else if (auto b = value.value_exact<bool>()) {
        text = *b ? "true" : "false";
      } else if (auto d = value.value_exact<double>()) {
        text = render_toml_value(value);
      } else {
        c.fail_value(name, value, "must be a string, number or boolean");
      }
      if (auto reason = validate_topic_config(name, text)) {
        c.fail_value(name, value, *reason);
      }
      topics.config[name] = text;
    }
  }
  r.reject_unknown_keys();
}

// A cross-key rule broken: names `key` with its effective value (the one
// written in the file, or the default when only the other key was set).
[[noreturn]] void fail_relation(const TomlReader& r, const std::string& key, std::int64_t value,
                                const std::string& reason) {
  if (const toml::node* node = r.raw().get(key)) r.fail_value(key, *node, reason);
  throw ConfigError(r.qualified(key) + " = " + std::to_string(value) + ": " + reason);
}

void read_groups(TomlReader r, GroupsConfig& groups) {
  auto int32 = [&](const std::string& key, std::int64_t min, std::int32_t& field) {
    if (auto v = r.integer(key, min, kInt32Max)) field = static_cast<std::int32_t>(*v);
  };
  auto int64 = [&](const std::string& key, std::int64_t min, std::int64_t& field) {
    if (auto v = r.integer(key, min, std::numeric_limits<std::int64_t>::max())) field = *v;
  };
  // One creation writes at most 10000 partitions (TopicAdmin's limit).
  if (auto v = r.integer("offsets_partitions", 1, 10000)) {
    groups.offsets_partitions = static_cast<std::int32_t>(*v);
  }
  if (auto v = r.integer("offsets_replication_factor", 1, 32767)) {
    groups.offsets_replication_factor = static_cast<std::int16_t>(*v);
  }
  int32("offsets_segment_bytes", 14, groups.offsets_segment_bytes);  // segment.bytes' own minimum
  int64("offsets_retention_ms", 1, groups.offsets_retention_ms);
  int64("offsets_retention_check_interval_ms", 1, groups.offsets_retention_check_interval_ms);
  // Stored as an int16-length string in __consumer_offsets records.
  if (auto v = r.integer("offset_metadata_max_bytes", 0, 32767)) {
    groups.offset_metadata_max_bytes = static_cast<std::int32_t>(*v);
  }
  int32("min_session_timeout_ms", 1, groups.min_session_timeout_ms);
  int32("max_session_timeout_ms", 1, groups.max_session_timeout_ms);
  int32("initial_rebalance_delay_ms", 0, groups.initial_rebalance_delay_ms);
  int32("max_size", 1, groups.max_size);
  if (auto v = r.string_list("consumer_assignors")) {
    const toml::node& node = *r.raw().get("consumer_assignors");
    if (v->empty()) r.fail_value("consumer_assignors", node, "must name at least one assignor");
    std::set<std::string> seen;
    for (const auto& name : *v) {
      if (name.empty() || !seen.insert(name).second) {
        r.fail_value("consumer_assignors", node,
                     name.empty() ? "assignor names must not be empty" : "names '" + name + "' twice");
      }
    }
    groups.consumer_assignors = *v;
  }
  int32("consumer_heartbeat_interval_ms", 1, groups.consumer_heartbeat_interval_ms);
  int32("consumer_session_timeout_ms", 1, groups.consumer_session_timeout_ms);
  r.reject_unknown_keys();
  if (groups.min_session_timeout_ms > groups.max_session_timeout_ms) {
    bool min_set = r.raw().contains("min_session_timeout_ms");
    fail_relation(r, min_set ? "min_session_timeout_ms" : "max_session_timeout_ms",
                  min_set ? groups.min_session_timeout_ms : groups.max_session_timeout_ms,
                  min_set ? "must not exceed groups.max_session_timeout_ms (" +
                                std::to_string(groups.max_session_timeout_ms) + ")"
                          : "must not be below groups.min_session_timeout_ms (" +
                                std::to_string(groups.min_session_timeout_ms) + ")");
  }
  // Kafka's rule: a member must get to heartbeat before its session ends.
  if (groups.consumer_heartbeat_interval_ms >= groups.consumer_session_timeout_ms) {
    bool hb_set = r.raw().contains("consumer_heartbeat_interval_ms");
    fail_relation(r, hb_set ? "consumer_heartbeat_interval_ms" : "consumer_session_timeout_ms",
                  hb_set ? groups.consumer_heartbeat_interval_ms : groups.consumer_session_timeout_ms,
                  hb_set ? "must be less than groups.consumer_session_timeout_ms (" +
                               std::to_string(groups.consumer_session_timeout_ms) + ")"
                         : "must be greater than groups.consumer_heartbeat_interval_ms (" +
                               std::to_string(groups.consumer_heartbeat_interval_ms) + ")");
  }
}

BrokerConfig read_root(const toml::table& root) {
  BrokerConfig config;
  TomlReader r(root, "");
  if (const toml::table* t = r.table("broker")) read_broker(TomlReader(*t, "broker"), config);
  if (const toml::array* a = r.array("listeners")) read_listeners(*a, config);
  if (const toml::table* t = r.table("network")) read_network(TomlReader(*t, "network"), config.network);
  if (const toml::table* t = r.table("logging")) read_logging(TomlReader(*t, "logging"), config.logging);
  if (const toml::table* t = r.table("plugins")) read_plugins(TomlReader(*t, "plugins"), config.plugins);
  if (const toml::table* t = r.table("topics")) read_topics(TomlReader(*t, "topics"), config.topics);
  if (const toml::table* t = r.table("groups")) read_groups(TomlReader(*t, "groups"), config.groups);
  r.reject_unknown_keys();
  return config;
}

}  // namespace

std::string HostPort::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

HostPort parse_host_port(const std::string& key, const std::string& text) {
  auto bad = [&](const std::string& reason) {
    throw ConfigError(key + " = \"" + text + "\": " + reason);
  };
  std::string host;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      bad("expected [ipv6]:port");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) bad("expected host:port");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) bad("write IPv6 addresses as [addr]:port");
  }
  if (host.empty()) bad("host must not be empty (use 0.0.0.0 for all interfaces)");
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    bad("port must be a number from 0 to 65535");
  }
  return HostPort{host, static_cast<std::uint16_t>(port)};
}

BrokerConfig load_config(const ConfigSources& sources) {
  toml::table root;
  if (sources.file) root = parse_file(*sources.file);
  for (const auto& text : sources.overrides) apply_override(root, text);
  return read_root(root);
}

}  // namespace brokkr::config
