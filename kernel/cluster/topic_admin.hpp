// Topic administration on the coordination store: create, delete, grow
// partitions, change topic configs. Every change is one compare-and-set
// commit of the topic's record, so concurrent admins (or brokers) never
// overwrite each other; the result is applied to the local metadata cache at
// once so the very next request sees it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/coordination.hpp"
#include "cluster/metadata_cache.hpp"
#include "config/broker_config.hpp"
#include "protocol/error_code.hpp"

namespace brokkr::cluster {

struct AdminResult {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::string message;
  bool ok() const { return error == protocol::ErrorCode::none; }
};

struct TopicSpec {
  std::string name;
  std::int32_t num_partitions = -1;      // -1: broker default
  std::int16_t replication_factor = -1;  // -1: broker default
  std::map<std::int32_t, std::vector<std::int32_t>> assignments;  // explicit replicas, or empty
  std::map<std::string, std::string> configs;
};

class TopicAdmin {
 public:
  TopicAdmin(sdk::ClusterCoordinator& coordinator, MetadataCache& cache, const config::BrokerConfig& config)
      : coordinator_(coordinator), cache_(cache), config_(config) {}

  // On success `created` (when given) receives the new topic.
  AdminResult create_topic(const TopicSpec& spec, bool validate_only, TopicMetadata* created = nullptr);
  AdminResult delete_topic(const std::string& name);
  // Grows the topic to `total_count` partitions (never shrinks).
  AdminResult create_partitions(const std::string& name, std::int32_t total_count,
                                const std::vector<std::vector<std::int32_t>>& assignments,
                                bool validate_only);
  // Replaces (incremental=false) or edits the topic's config overrides:
  // a nullopt value removes the key.
  AdminResult alter_topic_configs(const std::string& name,
                                  const std::map<std::string, std::optional<std::string>>& changes,
                                  bool incremental, bool validate_only);
  // Auto-creation (Metadata): creates with the broker defaults when
  // topics.auto_create is on; an existing topic counts as success.
  AdminResult ensure_topic(const std::string& name);

 private:
  std::vector<std::int32_t> live_brokers() const;
  AdminResult commit_topic(const TopicMetadata& topic, std::int64_t expected_version);

  sdk::ClusterCoordinator& coordinator_;
  MetadataCache& cache_;
  const config::BrokerConfig& config_;
};

}  // namespace brokkr::cluster
