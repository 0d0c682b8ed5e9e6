#include "cluster/topic_admin.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <span>
#include <thread>

#include "cluster/metadata_records.hpp"
#include "cluster/topic_names.hpp"
#include "config/topic_config_schema.hpp"
#include "logging/logging.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::cluster {
namespace {

using protocol::ErrorCode;

// A compare-and-set lost this many times in a row gives up (each loss means
// someone else's change went in, so this only happens under a storm).
constexpr int kMaxAttempts = 16;
// Kafka refuses to create more than this many partitions in one operation
// (POLICY_VIOLATION), which also bounds the size of one record.
constexpr std::int32_t kMaxPartitionsPerOperation = 10000;
constexpr std::int8_t kConfigRecordVersion = 0;

AdminResult fail(ErrorCode error, std::string message) { return {error, std::move(message)}; }

AdminResult store_unavailable() {
  return fail(ErrorCode::request_timed_out, "The metadata store is unavailable; retry later.");
}

AdminResult too_much_contention(const std::string& what) {
  return fail(ErrorCode::request_timed_out, what + " kept changing concurrently; retry.");
}

AdminResult unknown_topic(const std::string& name) {
  return fail(ErrorCode::unknown_topic_or_partition, "The topic '" + name + "' does not exist.");
}

std::mt19937_64& random_engine() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

// ---- config helpers --------------------------------------------------------

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

ConfigType config_type_of(config::TopicConfigType type) {
  switch (type) {
    case config::TopicConfigType::boolean: return ConfigType::boolean;
    case config::TopicConfigType::int32: return ConfigType::int_;
    case config::TopicConfigType::int64: return ConfigType::long_;
    case config::TopicConfigType::string: return ConfigType::string;
    case config::TopicConfigType::list: return ConfigType::list;
    case config::TopicConfigType::double_: return ConfigType::double_;
  }
  return ConfigType::unknown;
}

const std::string& broker_name_of(const config::TopicConfigDefinition& def) {
  return def.broker_synonym.empty() ? def.name : def.broker_synonym;
}

// The topic config whose broker-level synonym is `broker_name`.
const config::TopicConfigDefinition* find_by_broker_name(const std::string& broker_name) {
  for (const auto& def : config::topic_config_definitions()) {
    if (broker_name_of(def) == broker_name) return &def;
  }
  return nullptr;
}

const char* operation_name(std::int8_t op) {
  switch (static_cast<ConfigOperation>(op)) {
    case ConfigOperation::set: return "SET";
    case ConfigOperation::remove: return "DELETE";
    case ConfigOperation::append: return "APPEND";
    case ConfigOperation::subtract: return "SUBTRACT";
  }
  return "UNKNOWN";
}

// How one resource kind names and checks its configs.
struct ConfigKind {
  bool topic = true;  // false: broker-level synonyms
  const char* label() const { return topic ? "topic" : "broker"; }
  const config::TopicConfigDefinition* find(const std::string& name) const {
    return topic ? config::find_topic_config(name) : find_by_broker_name(name);
  }
  AdminResult unknown(const std::string& name) const {
    if (topic) return fail(ErrorCode::invalid_config, "Unknown topic config name: " + name);
    // Kafka answers this for broker configs that cannot change at run time.
    return fail(ErrorCode::invalid_request, "Cannot update these configs dynamically: " + name);
  }
};

// Applies `changes` to `configs` (a resource's dynamic configs), checking
// every name, operation and resulting value.
AdminResult apply_config_changes(std::map<std::string, std::string>& configs,
                                 const std::vector<ConfigChange>& changes, bool incremental,
                                 const ConfigKind& kind) {
  std::set<std::string> names;
  for (const auto& change : changes) {
    if (!names.insert(change.name).second) {
      return fail(ErrorCode::invalid_request, "Error due to duplicate config keys");
    }
  }
  std::map<std::string, std::string> next = incremental ? configs : std::map<std::string, std::string>{};
  std::set<std::string> written;
  for (const auto& change : changes) {
    const config::TopicConfigDefinition* def = kind.find(change.name);
    if (!def) return kind.unknown(change.name);
    auto op = incremental ? change.operation : static_cast<std::int8_t>(ConfigOperation::set);
    if (op < 0 || op > static_cast<std::int8_t>(ConfigOperation::subtract)) {
      return fail(ErrorCode::invalid_request,
                  "Unknown alter config operation type " + std::to_string(op) + " for " + change.name);
    }
    if (op == static_cast<std::int8_t>(ConfigOperation::remove)) {
      next.erase(change.name);
      continue;
    }
    if (!change.value) {
      return fail(ErrorCode::invalid_request,
                  std::string("Null value not supported for ") + kind.label() + " configs: " + change.name);
    }
    if (op == static_cast<std::int8_t>(ConfigOperation::set)) {
      next[change.name] = *change.value;
    } else {
      if (def->type != config::TopicConfigType::list) {
        return fail(ErrorCode::invalid_config, std::string("Can't ") + operation_name(op) + " to key " +
                                                   change.name + " because its type is not LIST.");
      }
      auto current = next.find(change.name);
      auto items = config::split_config_list(current != next.end() ? current->second : def->default_value);
      for (const auto& item : config::split_config_list(*change.value)) {
        auto at = std::find(items.begin(), items.end(), item);
        if (op == static_cast<std::int8_t>(ConfigOperation::append)) {
          if (at == items.end()) items.push_back(item);
        } else if (at != items.end()) {
          items.erase(at);
        }
      }
      next[change.name] = join_list(items);
    }
    written.insert(change.name);
  }
  for (const auto& name : written) {
    const auto& value = next.at(name);
    const config::TopicConfigDefinition* def = kind.find(name);
    if (auto reason = config::validate_topic_config(def->name, value)) {
      return fail(ErrorCode::invalid_config,
                  "Invalid value " + value + " for configuration " + name + ": " + *reason);
    }
  }
  configs = std::move(next);
  return {};
}

// ---- placement -------------------------------------------------------------

std::optional<AdminResult> bad_replicas(const std::vector<std::int32_t>& replicas,
                                        const std::set<std::int32_t>& live) {
  if (replicas.empty()) {
    return fail(ErrorCode::invalid_replica_assignment,
                "The manual partition assignment includes an empty replica list.");
  }
  std::set<std::int32_t> seen;
  for (auto id : replicas) {
    if (!seen.insert(id).second) {
      return fail(ErrorCode::invalid_replica_assignment,
                  "The manual partition assignment includes broker " + std::to_string(id) +
                      " more than once.");
    }
    if (!live.count(id)) {
      return fail(ErrorCode::invalid_replica_assignment,
                  "The manual partition assignment includes broker " + std::to_string(id) +
                      ", but no such broker is registered.");
    }
  }
  return std::nullopt;
}

AdminResult too_few_brokers(std::int32_t factor, std::size_t live) {
  return fail(ErrorCode::invalid_replication_factor,
              "Unable to replicate the partition " + std::to_string(factor) +
                  " time(s): The target replication factor of " + std::to_string(factor) +
                  " cannot be reached because only " + std::to_string(live) + " broker(s) are registered.");
}

// Replicas of partitions first..first+count-1: round-robin over the live
// brokers from a random start, each replica of a partition on the next broker.
std::vector<std::vector<std::int32_t>> spread(const std::vector<std::int32_t>& brokers, std::int32_t first,
                                              std::int32_t count, std::int32_t factor) {
  std::size_t n = brokers.size();
  std::size_t start = std::uniform_int_distribution<std::size_t>(0, n - 1)(random_engine());
  std::vector<std::vector<std::int32_t>> out;
  for (std::int32_t p = first; p < first + count; ++p) {
    std::vector<std::int32_t> replicas;
    for (std::int32_t r = 0; r < factor; ++r) {
      replicas.push_back(brokers[(start + static_cast<std::size_t>(p) + static_cast<std::size_t>(r)) % n]);
    }
    out.push_back(std::move(replicas));
  }
  return out;
}

PartitionState new_partition(std::int32_t index, std::vector<std::int32_t> replicas) {
  PartitionState p;
  p.partition = index;
  p.leader = replicas.front();
  p.leader_epoch = 0;
  p.isr = replicas;
  p.replicas = std::move(replicas);
  return p;
}

std::string normalize_collision(std::string name) {
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

std::optional<std::int32_t> parse_broker_id(const std::string& text) {
  std::int32_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 0) return std::nullopt;
  return id;
}

// ---- describe --------------------------------------------------------------

struct StaticBrokerConfig {
  std::string name;
  std::optional<std::string> value;
  bool is_default;
  ConfigType type;
  std::string documentation;
};

std::string listeners_text(const config::BrokerConfig& config, bool advertised) {
  std::vector<std::string> items;
  for (const auto& l : config.listeners) {
    items.push_back(l.name + "://" + (advertised ? l.advertised() : l.listen).to_string());
  }
  return join_list(items);
}

// The read-only broker configs Brokkr reports (Kafka's names for what the
// TOML configuration sets); "default" when equal to the embedded default.
std::vector<StaticBrokerConfig> static_broker_configs(const config::BrokerConfig& c) {
  const config::BrokerConfig d;
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  std::vector<std::string> protocols;
  for (const auto& l : c.listeners) protocols.push_back(l.name + ":" + l.security_protocol);
  bool default_protocols = protocols == std::vector<std::string>{"PLAINTEXT:PLAINTEXT"};
  return {
      {"advertised.listeners", listeners_text(c, true), listeners_text(c, true) == listeners_text(d, true),
       ConfigType::string, "listeners published for clients to use"},
      {"auto.create.topics.enable", b(c.topics.auto_create), c.topics.auto_create == d.topics.auto_create,
       ConfigType::boolean, "create unknown topics on Metadata requests"},
      {"broker.id", std::to_string(c.node_id), c.node_id == d.node_id, ConfigType::int_, "this broker's id"},
      {"broker.rack", c.rack, !c.rack, ConfigType::string, "this broker's rack"},
      {"default.replication.factor", std::to_string(c.topics.replication_factor),
       c.topics.replication_factor == d.topics.replication_factor, ConfigType::int_,
       "replication factor of topics created with the default"},
      {"listener.security.protocol.map", join_list(protocols), default_protocols, ConfigType::string,
       "security protocol of each listener"},
      {"listeners", listeners_text(c, false), listeners_text(c, false) == listeners_text(d, false),
       ConfigType::string, "addresses this broker listens on"},
      {"node.id", std::to_string(c.node_id), c.node_id == d.node_id, ConfigType::int_, "this broker's id"},
      {"num.partitions", std::to_string(c.topics.num_partitions),
       c.topics.num_partitions == d.topics.num_partitions, ConfigType::int_,
       "partition count of topics created with the default"},
      {"socket.request.max.bytes", std::to_string(c.network.max_request_bytes),
       c.network.max_request_bytes == d.network.max_request_bytes, ConfigType::int_,
       "largest request accepted"},
  };
}

}  // namespace

// ---- records -----------------------------------------------------------------

std::string encode_config_map(const std::map<std::string, std::string>& configs) {
  protocol::WireWriter w;
  w.write_int8(kConfigRecordVersion);
  w.write_int32(static_cast<std::int32_t>(configs.size()));
  for (const auto& [key, value] : configs) {
    w.write_string(key);
    w.write_string(value);
  }
  const auto& bytes = w.buffer();
  return std::string(bytes.begin(), bytes.end());
}

std::map<std::string, std::string> decode_config_map(std::string_view data) {
  protocol::WireReader r(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  std::int8_t version = r.read_int8();
  if (version != kConfigRecordVersion) {
    throw protocol::DecodeError("config record: unknown version " + std::to_string(version));
  }
  std::int32_t count = r.read_int32();
  if (count < 0 || static_cast<std::size_t>(count) > r.remaining()) {
    throw protocol::DecodeError("config record: bad count");
  }
  std::map<std::string, std::string> out;
  for (std::int32_t i = 0; i < count; ++i) {
    std::string key = r.read_string();
    out[key] = r.read_string();
  }
  return out;
}

bool is_internal_topic(const std::string& name) {
  return name == "__consumer_offsets" || name == "__transaction_state";
}

// ---- TopicAdmin ----------------------------------------------------------------

struct TopicAdmin::BrokerLayers {
  std::map<std::string, std::string> per_broker;       // /configs/brokers/<this node>, broker names
  std::map<std::string, std::string> cluster_default;  // /configs/brokers/default, broker names
  const std::map<std::string, std::string>* static_topic = nullptr;  // [topics.config], topic names
};

// ---- commits of topic records ----------------------------------------------------
//
// The cache learns of every commit from the coordinator's watch, in commit
// order but later. Applying our own commit to the cache at once is what makes
// the next request see it; but a watch delivery of an *earlier* commit of the
// same key still on its way (say, the create of a topic we now delete) would
// then briefly undo it. So each commit also waits (bounded) until our own
// watch, which the coordinator serves in the same order as the cache's, has
// delivered it: every earlier change has then reached the cache too.

struct TopicAdmin::Expectation {
  std::string key;
  std::optional<std::string> put_data;  // a put: its record
  std::size_t erased_hash = 0;          // an erase: the hash of the record it removes
  bool erased_value_seen = false;       // an erase: that record's own put was delivered
  bool done = false;
};

TopicAdmin::TopicAdmin(sdk::ClusterCoordinator& coordinator, MetadataCache& cache,
                       const config::BrokerConfig& config)
    : coordinator_(coordinator), cache_(cache), config_(config) {
  watch_handle_ = coordinator_.watch(std::string(kTopicsPrefix),
                                     [this](const std::vector<sdk::StoreChange>& changes) { on_topic_changes(changes); });
}

TopicAdmin::~TopicAdmin() { coordinator_.unwatch(watch_handle_); }

void TopicAdmin::on_topic_changes(const std::vector<sdk::StoreChange>& changes) {
  notifier_thread_ = std::this_thread::get_id();
  {
    std::lock_guard lock(watch_mutex_);
    for (const auto& change : changes) {
      if (change.value) {
        delivered_[change.key] = std::hash<std::string>{}(change.value->data);
      } else {
        delivered_[change.key] = std::nullopt;
      }
      for (const auto& waiter : waiters_) {
        if (waiter->done || waiter->key != change.key) continue;
        if (waiter->put_data) {
          waiter->done = change.value && change.value->data == *waiter->put_data;
        } else if (!change.value) {
          waiter->done = waiter->erased_value_seen;
        } else if (std::hash<std::string>{}(change.value->data) == waiter->erased_hash) {
          waiter->erased_value_seen = true;
        }
      }
    }
  }
  watch_cv_.notify_all();
}

sdk::StoreResult TopicAdmin::commit_topic_record(const std::string& key, const std::optional<std::string>& record,
                                                 std::int64_t expected_version, const std::string& previous) {
  before_commit(key);
  auto waiter = std::make_shared<Expectation>();
  waiter->key = key;
  waiter->put_data = record;
  if (!record) {
    std::lock_guard lock(watch_mutex_);
    // Unless a delivery of what we erase is still to come, the next erase
    // delivered is ours.
    auto it = delivered_.find(key);
    waiter->erased_hash = std::hash<std::string>{}(previous);
    waiter->erased_value_seen = it == delivered_.end() || it->second == waiter->erased_hash;
  }
  {
    std::lock_guard lock(watch_mutex_);
    waiters_.push_back(waiter);
  }
  sdk::StoreResult result =
      record ? coordinator_.put(key, *record, expected_version) : coordinator_.erase(key, expected_version);
  {
    std::unique_lock lock(watch_mutex_);
    // Waiting on the notifier thread itself (a watch callback calling us)
    // could never end: skip it there.
    if (result.ok() && std::this_thread::get_id() != notifier_thread_.load()) {
      if (!watch_cv_.wait_for(lock, std::chrono::seconds(2), [&] { return waiter->done; })) {
        logging::get("cluster")->warn("metadata change of {} not delivered by the coordinator's watch within 2s",
                                      key);
      }
    }
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), waiter));
  }
  if (result.ok()) {
    std::optional<sdk::VersionedValue> value;
    if (record) value = sdk::VersionedValue{*record, result.version};
    cache_.apply_store_changes({{key, std::move(value)}});
  }
  return result;
}

TopicAdmin::BrokerLayers TopicAdmin::broker_layers() {
  BrokerLayers layers;
  auto load = [&](const std::string& which, std::map<std::string, std::string>& into) {
    auto value = coordinator_.get(std::string(kBrokerConfigsPrefix) + which);
    if (!value) return;
    try {
      into = decode_config_map(value->data);
    } catch (const std::exception& e) {
      logging::get("cluster")->error("ignoring unreadable broker config record {}: {}", which, e.what());
    }
  };
  load(std::to_string(config_.node_id), layers.per_broker);
  load(std::string(kBrokerConfigsDefault), layers.cluster_default);
  layers.static_topic = &config_.topics.config;
  return layers;
}

std::map<std::string, std::string> TopicAdmin::topic_defaults() {
  auto layers = broker_layers();
  std::map<std::string, std::string> out;
  for (const auto& def : config::topic_config_definitions()) {
    const auto& broker_name = broker_name_of(def);
    if (auto it = layers.per_broker.find(broker_name); it != layers.per_broker.end()) {
      out[def.name] = it->second;
    } else if (auto d = layers.cluster_default.find(broker_name); d != layers.cluster_default.end()) {
      out[def.name] = d->second;
    } else if (auto s = layers.static_topic->find(def.name); s != layers.static_topic->end()) {
      out[def.name] = s->second;
    }
  }
  return out;
}

std::vector<std::int32_t> TopicAdmin::live_brokers() {
  std::vector<std::int32_t> ids;
  for (const auto& broker : coordinator_.cluster_view().live_brokers) ids.push_back(broker.node_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::optional<std::string> TopicAdmin::topic_name_collision(const std::string& name) const {
  if (name.find_first_of("._") == std::string::npos) return std::nullopt;
  std::string normalized = normalize_collision(name);
  for (const auto& [existing, topic] : cache_.snapshot()->topics) {
    if (existing != name && normalize_collision(existing) == normalized) return existing;
  }
  return std::nullopt;
}

AdminResult TopicAdmin::create_topic(const TopicSpec& spec, bool validate_only, TopicMetadata* created) {
  if (auto reason = invalid_topic_name_reason(spec.name)) {
    return fail(ErrorCode::invalid_topic_exception, "Topic name '" + spec.name + "' is invalid: " + *reason + ".");
  }
  std::string key = topic_key(spec.name);
  if (coordinator_.get(key)) {
    return fail(ErrorCode::topic_already_exists, "Topic '" + spec.name + "' already exists.");
  }
  if (auto other = topic_name_collision(spec.name)) {
    return fail(ErrorCode::invalid_topic_exception,
                "Topic '" + spec.name + "' collides with existing topic: " + *other);
  }

  auto live = live_brokers();
  std::set<std::int32_t> live_set(live.begin(), live.end());
  TopicMetadata topic;
  topic.name = spec.name;
  topic.internal = is_internal_topic(spec.name);

  if (!spec.assignments.empty()) {
    if (spec.num_partitions != -1 || spec.replication_factor != -1) {
      return fail(ErrorCode::invalid_request,
                  "Both numPartitions or replicationFactor and replicasAssignments were set. "
                  "Both cannot be used at the same time.");
    }
    if (spec.assignments.size() > static_cast<std::size_t>(kMaxPartitionsPerOperation)) {
      return fail(ErrorCode::policy_violation, "Excessively large number of partitions per request.");
    }
    auto sorted = spec.assignments;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.partition < b.partition; });
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      if (sorted[i].partition != static_cast<std::int32_t>(i)) {
        return fail(ErrorCode::invalid_replica_assignment,
                    "Partitions should be a consecutive 0-based integer sequence.");
      }
      if (auto bad = bad_replicas(sorted[i].brokers, live_set)) return *bad;
      if (sorted[i].brokers.size() != sorted.front().brokers.size()) {
        return fail(ErrorCode::invalid_replica_assignment,
                    "All partitions in the manual partition assignment must have the same number of replicas.");
      }
      topic.partitions.push_back(new_partition(sorted[i].partition, sorted[i].brokers));
    }
  } else {
    std::int32_t partitions = spec.num_partitions == -1 ? config_.topics.num_partitions : spec.num_partitions;
    std::int32_t factor =
        spec.replication_factor == -1 ? config_.topics.replication_factor : spec.replication_factor;
    if (partitions <= 0) {
      return fail(ErrorCode::invalid_partitions,
                  "Number of partitions was set to an invalid non-positive value.");
    }
    if (partitions > kMaxPartitionsPerOperation) {
      return fail(ErrorCode::policy_violation, "Excessively large number of partitions per request.");
    }
    if (factor <= 0) {
      return fail(ErrorCode::invalid_replication_factor,
                  "Replication factor must be larger than 0, or -1 to use the default value.");
    }
    if (static_cast<std::size_t>(factor) > live.size()) return too_few_brokers(factor, live.size());
    auto layout = spread(live, 0, partitions, factor);
    for (std::int32_t p = 0; p < partitions; ++p) topic.partitions.push_back(new_partition(p, layout[p]));
  }

  std::vector<ConfigChange> changes;
  for (const auto& [name, value] : spec.configs) changes.push_back({name, 0, value});
  if (auto check = apply_config_changes(topic.configs, changes, false, ConfigKind{true}); !check.ok()) {
    return check;
  }

  if (validate_only) {
    if (created) *created = topic;
    return {};
  }
  topic.topic_id = protocol::Uuid::random();
  std::string record = encode_topic(topic);
  sdk::StoreResult result = commit_topic_record(key, record, sdk::kMustNotExist, {});
  if (result.status == sdk::StoreStatus::version_mismatch) {
    return fail(ErrorCode::topic_already_exists, "Topic '" + spec.name + "' already exists.");
  }
  if (!result.ok()) return store_unavailable();
  logging::get("cluster")->info("created topic {} (id {}, {} partition(s), replication factor {})", topic.name,
                                topic.topic_id.to_base64(), topic.partitions.size(),
                                topic.partitions.front().replicas.size());
  if (created) *created = std::move(topic);
  return {};
}

AdminResult TopicAdmin::ensure_topic(const std::string& name) {
  if (!config_.topics.auto_create) {
    return fail(ErrorCode::unknown_topic_or_partition, "Topic auto-creation is disabled.");
  }
  if (cache_.snapshot()->topics.count(name)) return {};
  TopicSpec spec;
  spec.name = name;
  AdminResult result = create_topic(spec, false);
  if (result.error == ErrorCode::topic_already_exists) return {};
  return result;
}

AdminResult TopicAdmin::delete_topic(const std::string& name, TopicMetadata* deleted) {
  std::string key = topic_key(name);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = coordinator_.get(key);
    if (!current) {
      return fail(ErrorCode::unknown_topic_or_partition, "This server does not host this topic-partition.");
    }
    sdk::StoreResult result = commit_topic_record(key, std::nullopt, current->version, current->data);
    if (result.status == sdk::StoreStatus::version_mismatch || result.status == sdk::StoreStatus::not_found) {
      continue;
    }
    if (!result.ok()) return store_unavailable();
    logging::get("cluster")->info("deleted topic {}", name);
    if (deleted) {
      try {
        *deleted = decode_topic(current->data);
      } catch (const std::exception&) {
        deleted->name = name;
      }
    }
    return {};
  }
  return too_much_contention("Topic '" + name + "'");
}

std::optional<std::string> TopicAdmin::topic_name(const protocol::Uuid& topic_id) {
  if (topic_id.is_zero()) return std::nullopt;
  for (const auto& [name, topic] : cache_.snapshot()->topics) {
    if (topic->topic_id == topic_id) return name;
  }
  // The cache may not have caught up with another broker's create yet.
  for (const auto& kv : coordinator_.list(kTopicsPrefix)) {
    try {
      if (decode_topic(kv.value.data).topic_id == topic_id) return topic_from_key(kv.key);
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

AdminResult TopicAdmin::delete_topic(const protocol::Uuid& topic_id, TopicMetadata* deleted) {
  auto unknown_id = [] {
    return fail(ErrorCode::unknown_topic_id, "This server does not host this topic ID.");
  };
  std::optional<std::string> name = topic_name(topic_id);
  if (!name) return unknown_id();
  std::string key = topic_key(*name);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = coordinator_.get(key);
    if (!current) return unknown_id();
    TopicMetadata topic;
    try {
      topic = decode_topic(current->data);
    } catch (const std::exception&) {
      return unknown_id();
    }
    if (topic.topic_id != topic_id) return unknown_id();  // deleted and re-created meanwhile
    sdk::StoreResult result = commit_topic_record(key, std::nullopt, current->version, current->data);
    if (result.status == sdk::StoreStatus::version_mismatch || result.status == sdk::StoreStatus::not_found) {
      continue;
    }
    if (!result.ok()) return store_unavailable();
    logging::get("cluster")->info("deleted topic {} (id {})", *name, topic_id.to_base64());
    if (deleted) *deleted = std::move(topic);
    return {};
  }
  return too_much_contention("Topic '" + *name + "'");
}

AdminResult TopicAdmin::create_partitions(
    const std::string& name, std::int32_t total_count,
    const std::optional<std::vector<std::vector<std::int32_t>>>& assignments, bool validate_only) {
  std::string key = topic_key(name);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = coordinator_.get(key);
    if (!current) return unknown_topic(name);
    TopicMetadata topic = decode_topic(current->data);
    auto existing = static_cast<std::int32_t>(topic.partitions.size());
    if (total_count < existing) {
      return fail(ErrorCode::invalid_partitions,
                  "Topic currently has " + std::to_string(existing) +
                      " partitions, which is higher than the requested " + std::to_string(total_count) + ".");
    }
    if (total_count == existing) {
      return fail(ErrorCode::invalid_partitions, "Topic already has " + std::to_string(existing) + " partitions.");
    }
    std::int32_t added = total_count - existing;
    if (added > kMaxPartitionsPerOperation) {
      return fail(ErrorCode::policy_violation, "Excessively large number of partitions per request.");
    }
    auto factor = static_cast<std::int32_t>(topic.partitions.empty() ? config_.topics.replication_factor
                                                                     : topic.partitions.front().replicas.size());
    auto live = live_brokers();
    std::set<std::int32_t> live_set(live.begin(), live.end());
    std::vector<std::vector<std::int32_t>> layout;
    if (assignments) {
      if (static_cast<std::int32_t>(assignments->size()) != added) {
        return fail(ErrorCode::invalid_replica_assignment,
                    "Attempted to add " + std::to_string(added) + " additional partition(s), but only " +
                        std::to_string(assignments->size()) + " assignment(s) were specified.");
      }
      for (const auto& replicas : *assignments) {
        if (auto bad = bad_replicas(replicas, live_set)) return *bad;
        if (static_cast<std::int32_t>(replicas.size()) != factor) {
          return fail(ErrorCode::invalid_replica_assignment,
                      "The manual partition assignment includes a partition with " +
                          std::to_string(replicas.size()) +
                          " replica(s), but this is not consistent with previous partitions, which have " +
                          std::to_string(factor) + " replica(s).");
        }
      }
      layout = *assignments;
    } else {
      if (static_cast<std::size_t>(factor) > live.size()) return too_few_brokers(factor, live.size());
      layout = spread(live, existing, added, factor);
    }
    for (std::int32_t i = 0; i < added; ++i) topic.partitions.push_back(new_partition(existing + i, layout[i]));
    if (validate_only) return {};

    std::string record = encode_topic(topic);
    sdk::StoreResult result = commit_topic_record(key, record, current->version, current->data);
    if (result.status == sdk::StoreStatus::version_mismatch || result.status == sdk::StoreStatus::not_found) {
      continue;  // someone else changed the topic: decide again on what is there now
    }
    if (!result.ok()) return store_unavailable();
    logging::get("cluster")->info("topic {}: partitions {} -> {}", name, existing, total_count);
    return {};
  }
  return too_much_contention("Topic '" + name + "'");
}

AdminResult TopicAdmin::alter_configs(const ConfigResource& resource, const std::vector<ConfigChange>& changes,
                                      bool incremental, bool validate_only) {
  switch (static_cast<ResourceType>(resource.type)) {
    case ResourceType::topic:
      return alter_topic_configs(resource.name, changes, incremental, validate_only);
    case ResourceType::broker:
      return alter_broker_configs(resource.name, changes, incremental, validate_only);
    default:
      return fail(ErrorCode::invalid_request, "Unsupported resource type: " + std::to_string(resource.type));
  }
}

AdminResult TopicAdmin::alter_topic_configs(const std::string& name, const std::vector<ConfigChange>& changes,
                                            bool incremental, bool validate_only) {
  if (auto reason = invalid_topic_name_reason(name)) {
    return fail(ErrorCode::invalid_topic_exception, "Topic name '" + name + "' is invalid: " + *reason + ".");
  }
  std::string key = topic_key(name);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = coordinator_.get(key);
    if (!current) return unknown_topic(name);
    TopicMetadata topic = decode_topic(current->data);
    if (auto check = apply_config_changes(topic.configs, changes, incremental, ConfigKind{true}); !check.ok()) {
      return check;
    }
    if (validate_only) return {};
    std::string record = encode_topic(topic);
    sdk::StoreResult result = commit_topic_record(key, record, current->version, current->data);
    if (result.status == sdk::StoreStatus::version_mismatch || result.status == sdk::StoreStatus::not_found) {
      continue;
    }
    if (!result.ok()) return store_unavailable();
    logging::get("cluster")->info("topic {}: configs altered", name);
    return {};
  }
  return too_much_contention("Topic '" + name + "'");
}

AdminResult TopicAdmin::alter_broker_configs(const std::string& broker, const std::vector<ConfigChange>& changes,
                                             bool incremental, bool validate_only) {
  if (!broker.empty() && !parse_broker_id(broker)) {
    return fail(ErrorCode::invalid_request, "Invalid broker id '" + broker + "': expected an integer, or an "
                                                "empty name for the cluster default.");
  }
  std::string key = std::string(kBrokerConfigsPrefix) + (broker.empty() ? std::string(kBrokerConfigsDefault) : broker);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto current = coordinator_.get(key);
    std::map<std::string, std::string> configs;
    if (current) configs = decode_config_map(current->data);
    if (auto check = apply_config_changes(configs, changes, incremental, ConfigKind{false}); !check.ok()) {
      return check;
    }
    if (validate_only) return {};
    before_commit(key);
    sdk::StoreResult result;
    if (configs.empty()) {
      if (!current) return {};
      result = coordinator_.erase(key, current->version);
    } else {
      result = coordinator_.put(key, encode_config_map(configs), current ? current->version : sdk::kMustNotExist);
    }
    if (result.status == sdk::StoreStatus::version_mismatch || result.status == sdk::StoreStatus::not_found) {
      continue;
    }
    if (!result.ok()) return store_unavailable();
    logging::get("cluster")->info("broker configs {} altered", broker.empty() ? "(cluster default)" : broker);
    return {};
  }
  return too_much_contention("Broker configs '" + broker + "'");
}

void TopicAdmin::add_broker_synonyms(const config::TopicConfigDefinition& def, const BrokerLayers& layers,
                                     bool per_broker, std::vector<ConfigSynonym>& out) {
  const auto& broker_name = broker_name_of(def);
  if (per_broker) {
    if (auto it = layers.per_broker.find(broker_name); it != layers.per_broker.end()) {
      out.push_back({broker_name, it->second, ConfigSource::dynamic_broker});
    }
  }
  if (auto it = layers.cluster_default.find(broker_name); it != layers.cluster_default.end()) {
    out.push_back({broker_name, it->second, ConfigSource::dynamic_default_broker});
  }
  if (auto it = layers.static_topic->find(def.name); it != layers.static_topic->end()) {
    out.push_back({broker_name, it->second, ConfigSource::static_broker});
  }
  out.push_back({broker_name, def.default_value, ConfigSource::default_config});
}

std::vector<ConfigEntry> TopicAdmin::topic_config_entries(const TopicMetadata& topic) {
  auto layers = broker_layers();
  std::vector<ConfigEntry> entries;
  for (const auto& def : config::topic_config_definitions()) {
    ConfigEntry entry;
    entry.name = def.name;
    entry.type = config_type_of(def.type);
    entry.documentation = def.documentation;
    if (auto it = topic.configs.find(def.name); it != topic.configs.end()) {
      entry.synonyms.push_back({def.name, it->second, ConfigSource::topic});
    }
    add_broker_synonyms(def, layers, /*per_broker=*/true, entry.synonyms);
    entry.value = entry.synonyms.front().value;
    entry.source = entry.synonyms.front().source;
    entries.push_back(std::move(entry));
  }
  return entries;
}

DescribedConfigs TopicAdmin::describe_configs(const ConfigResource& resource) {
  DescribedConfigs out;
  switch (static_cast<ResourceType>(resource.type)) {
    case ResourceType::topic: {
      if (auto reason = invalid_topic_name_reason(resource.name)) {
        out.result = fail(ErrorCode::invalid_topic_exception,
                          "Topic name '" + resource.name + "' is invalid: " + *reason + ".");
        return out;
      }
      auto current = coordinator_.get(topic_key(resource.name));
      if (!current) {
        out.result = unknown_topic(resource.name);
        return out;
      }
      out.entries = topic_config_entries(decode_topic(current->data));
      return out;
    }
    case ResourceType::broker:
      break;
    default:
      out.result = fail(ErrorCode::invalid_request, "Unsupported resource type: " + std::to_string(resource.type));
      return out;
  }

  auto layers = broker_layers();
  if (resource.name.empty()) {
    // The cluster default resource lists only what is set at that level.
    for (const auto& [broker_name, value] : layers.cluster_default) {
      const config::TopicConfigDefinition* def = find_by_broker_name(broker_name);
      if (!def) continue;
      ConfigEntry entry;
      entry.name = broker_name;
      entry.value = value;
      entry.source = ConfigSource::dynamic_default_broker;
      entry.type = config_type_of(def->type);
      entry.documentation = def->documentation;
      add_broker_synonyms(*def, layers, /*per_broker=*/false, entry.synonyms);
      out.entries.push_back(std::move(entry));
    }
    return out;
  }
  auto id = parse_broker_id(resource.name);
  if (!id || *id != config_.node_id) {
    out.result = fail(ErrorCode::invalid_request, "Unexpected broker id, expected " +
                                                      std::to_string(config_.node_id) +
                                                      " or empty string, but received " + resource.name);
    return out;
  }
  for (const auto& def : config::topic_config_definitions()) {
    const auto& broker_name = broker_name_of(def);
    ConfigEntry entry;
    entry.name = broker_name;
    entry.type = config_type_of(def.type);
    entry.documentation = def.documentation;
    add_broker_synonyms(def, layers, /*per_broker=*/true, entry.synonyms);
    entry.value = entry.synonyms.front().value;
    entry.source = entry.synonyms.front().source;
    out.entries.push_back(std::move(entry));
  }
  for (auto& s : static_broker_configs(config_)) {
    ConfigEntry entry;
    entry.name = s.name;
    entry.value = s.value;
    entry.source = s.is_default ? ConfigSource::default_config : ConfigSource::static_broker;
    entry.read_only = true;
    entry.type = s.type;
    entry.documentation = s.documentation;
    entry.synonyms.push_back({s.name, s.value, entry.source});
    out.entries.push_back(std::move(entry));
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [](const ConfigEntry& a, const ConfigEntry& b) { return a.name < b.name; });
  return out;
}

}  // namespace brokkr::cluster
