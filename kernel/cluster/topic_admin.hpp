// Topic and config administration on the coordination store: create and
// delete topics, grow partitions, change topic configs and the dynamic
// broker-level topic defaults, and describe configs the way Kafka reports
// them (value, source, synonyms).
//
// Every change is one compare-and-set commit: a create with kMustNotExist, an
// update or delete against the version just read. A lost race is retried
// from a fresh read (and validated again), so concurrent admins on any broker
// never overwrite each other. A committed topic record is applied to the
// local MetadataCache at once, so the very next request sees it; the
// coordinator's watch delivers it again later, which is harmless.
//
// Store layout (besides /topics/<name>, see metadata_records.hpp):
//   /configs/brokers/default   dynamic cluster-wide broker configs
//   /configs/brokers/<id>      dynamic configs of broker <id>
// Both hold Kafka broker config names (log.retention.ms, ...) and values.
//
// Calls are synchronous (one store round trip, an fsync with the raft
// plugin, then the watch delivery of the change) and thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "brokkr/sdk/coordination.hpp"
#include "cluster/metadata_cache.hpp"
#include "config/broker_config.hpp"
#include "protocol/error_code.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::config { struct TopicConfigDefinition; }

namespace brokkr::cluster {

inline constexpr std::string_view kBrokerConfigsPrefix = "/configs/brokers/";
inline constexpr std::string_view kBrokerConfigsDefault = "default";

// Binary, versioned encoding of a config map (the /configs/... records).
std::string encode_config_map(const std::map<std::string, std::string>& configs);
// Throws protocol::DecodeError on a damaged or unknown-version record.
std::map<std::string, std::string> decode_config_map(std::string_view data);

// Kafka's internal topics (Topic.isInternal): reported with is_internal.
bool is_internal_topic(const std::string& name);

struct AdminResult {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::string message;
  bool ok() const { return error == protocol::ErrorCode::none; }
};

struct ReplicaAssignment {
  std::int32_t partition = 0;
  std::vector<std::int32_t> brokers;
};

struct TopicSpec {
  std::string name;
  std::int32_t num_partitions = -1;      // -1: topics.num_partitions
  std::int16_t replication_factor = -1;  // -1: topics.replication_factor
  std::vector<ReplicaAssignment> assignments;  // explicit placement, or empty
  std::map<std::string, std::string> configs;  // topic config overrides
};

// Kafka's ConfigResource.Type ids.
enum class ResourceType : std::int8_t { unknown = 0, topic = 2, broker = 4, broker_logger = 8 };

struct ConfigResource {
  std::int8_t type = 0;  // a ResourceType id (kept raw: requests may carry any value)
  std::string name;      // topic name; broker id, or "" for the cluster default
};

// IncrementalAlterConfigs operations (Kafka's AlterConfigOp.OpType ids).
enum class ConfigOperation : std::int8_t { set = 0, remove = 1, append = 2, subtract = 3 };

struct ConfigChange {
  std::string name;
  std::int8_t operation = 0;  // a ConfigOperation id
  std::optional<std::string> value;
};

// Kafka's DescribeConfigsResponse.ConfigSource ids.
enum class ConfigSource : std::int8_t {
  unknown = 0,
  topic = 1,                   // DYNAMIC_TOPIC_CONFIG
  dynamic_broker = 2,          // DYNAMIC_BROKER_CONFIG
  dynamic_default_broker = 3,  // DYNAMIC_DEFAULT_BROKER_CONFIG
  static_broker = 4,           // STATIC_BROKER_CONFIG
  default_config = 5,          // DEFAULT_CONFIG
};

// Kafka's DescribeConfigsResponse.ConfigType ids.
enum class ConfigType : std::int8_t {
  unknown = 0, boolean = 1, string = 2, int_ = 3, short_ = 4, long_ = 5, double_ = 6, list = 7,
  class_ = 8, password = 9,
};

struct ConfigSynonym {
  std::string name;
  std::optional<std::string> value;
  ConfigSource source = ConfigSource::unknown;
};

struct ConfigEntry {
  std::string name;
  std::optional<std::string> value;
  ConfigSource source = ConfigSource::default_config;
  bool read_only = false;
  bool sensitive = false;
  ConfigType type = ConfigType::unknown;
  std::string documentation;
  std::vector<ConfigSynonym> synonyms;  // most to least specific, the entry's own source first
};

struct DescribedConfigs {
  AdminResult result;
  std::vector<ConfigEntry> entries;  // in name order
};

class TopicAdmin {
 public:
  // Watches /topics/ on `coordinator` until destroyed; construct it after
  // the cache is attached.
  TopicAdmin(sdk::ClusterCoordinator& coordinator, MetadataCache& cache,
             const config::BrokerConfig& config);
  ~TopicAdmin();
  TopicAdmin(const TopicAdmin&) = delete;
  TopicAdmin& operator=(const TopicAdmin&) = delete;

  // Creates a topic. With validate_only nothing is written. On success
  // `created` (when given) receives the topic as created (or as it would be;
  // its topic id is then zero).
  AdminResult create_topic(const TopicSpec& spec, bool validate_only,
                           TopicMetadata* created = nullptr);
  // Auto-creation (Metadata): creates `name` with the broker defaults when
  // topics.auto_create is on (else UNKNOWN_TOPIC_OR_PARTITION). An existing
  // topic counts as success.
  AdminResult ensure_topic(const std::string& name);

  // Deletes a topic (with its config overrides). `deleted` (when given)
  // receives the record that was deleted.
  AdminResult delete_topic(const std::string& name, TopicMetadata* deleted = nullptr);
  AdminResult delete_topic(const protocol::Uuid& topic_id, TopicMetadata* deleted = nullptr);
  // The name of the topic with this id, if there is one.
  std::optional<std::string> topic_name(const protocol::Uuid& topic_id);

  // Grows the topic to `total_count` partitions. `assignments`, when given,
  // places the new partitions (one replica list per new partition).
  AdminResult create_partitions(const std::string& name, std::int32_t total_count,
                                const std::optional<std::vector<std::vector<std::int32_t>>>& assignments,
                                bool validate_only);

  // AlterConfigs (incremental=false): the resource's dynamic configs become
  // exactly `changes` (all SET). IncrementalAlterConfigs (incremental=true):
  // SET/DELETE/APPEND/SUBTRACT applied to the current ones.
  AdminResult alter_configs(const ConfigResource& resource, const std::vector<ConfigChange>& changes,
                            bool incremental, bool validate_only);

  // DescribeConfigs of a topic, this broker (its id) or the cluster default
  // broker resource (""). Every entry carries its synonyms and documentation;
  // the handler drops what the request did not ask for.
  DescribedConfigs describe_configs(const ConfigResource& resource);
  // A topic's configs as CreateTopics v5+ and DescribeConfigs report them.
  std::vector<ConfigEntry> topic_config_entries(const TopicMetadata& topic);

  // The broker-level defaults of topic configs on this broker, by topic config
  // name: the static [topics.config] overlaid with the dynamic cluster default
  // and then this broker's dynamic configs.
  std::map<std::string, std::string> topic_defaults();

  // For tests: runs after the current state is read and before the
  // compare-and-set commit, with the key about to be written.
  void set_before_commit_hook(std::function<void(const std::string& key)> hook) {
    before_commit_ = std::move(hook);
  }

 private:
  struct BrokerLayers;
  // Appends the broker-level values of one config, most specific first:
  // this broker's dynamic value (when `per_broker`), the cluster default,
  // the broker's file, Kafka's default.
  static void add_broker_synonyms(const config::TopicConfigDefinition& def, const BrokerLayers& layers,
                                  bool per_broker, std::vector<ConfigSynonym>& out);
  struct Expectation;
  // Commits a put (`record`) or an erase (nullopt; `previous` is the record
  // it removes) of a topic key, waits until the coordinator's watch has
  // delivered it (so no older change of the key can reach the cache later)
  // and applies it to the cache.
  sdk::StoreResult commit_topic_record(const std::string& key, const std::optional<std::string>& record,
                                       std::int64_t expected_version, const std::string& previous);
  void on_topic_changes(const std::vector<sdk::StoreChange>& changes);
  BrokerLayers broker_layers();
  std::vector<std::int32_t> live_brokers();
  std::optional<std::string> topic_name_collision(const std::string& name) const;
  AdminResult alter_topic_configs(const std::string& topic, const std::vector<ConfigChange>& changes,
                                  bool incremental, bool validate_only);
  AdminResult alter_broker_configs(const std::string& broker, const std::vector<ConfigChange>& changes,
                                   bool incremental, bool validate_only);
  void before_commit(const std::string& key) {
    if (before_commit_) before_commit_(key);
  }

  sdk::ClusterCoordinator& coordinator_;
  MetadataCache& cache_;
  const config::BrokerConfig& config_;
  std::function<void(const std::string&)> before_commit_;

  std::uint64_t watch_handle_ = 0;
  std::atomic<std::thread::id> notifier_thread_{};
  std::mutex watch_mutex_;
  std::condition_variable watch_cv_;
  std::map<std::string, std::optional<std::size_t>> delivered_;  // hash of the last delivered value per key
  std::vector<std::shared_ptr<Expectation>> waiters_;
};

}  // namespace brokkr::cluster
