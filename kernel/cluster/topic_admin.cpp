#include "cluster/topic_admin.hpp"

#include <algorithm>
#include <random>
#include <set>

#include "cluster/metadata_records.hpp"
#include "cluster/topic_names.hpp"
#include "config/topic_config_schema.hpp"
#include "logging/logging.hpp"

namespace brokkr::cluster {
namespace {

using protocol::ErrorCode;

AdminResult fail(ErrorCode error, std::string message) { return {error, std::move(message)}; }

AdminResult check_configs(const std::map<std::string, std::string>& configs) {
  for (const auto& [name, value] : configs) {
    if (auto reason = config::validate_topic_config(name, value)) {
      return fail(ErrorCode::invalid_config,
                  "Invalid value " + value + " for configuration " + name + ": " + *reason);
    }
  }
  return {};
}

// Replicas of `count` new partitions starting at `first`, spread round-robin
// over the live brokers from a random start (Kafka's rack-unaware layout).
std::vector<std::vector<std::int32_t>> spread(const std::vector<std::int32_t>& brokers, std::int32_t first,
                                              std::int32_t count, std::int16_t replication_factor) {
  static thread_local std::mt19937 random{std::random_device{}()};
  std::size_t start = brokers.empty() ? 0 : random() % brokers.size();
  std::vector<std::vector<std::int32_t>> out;
  for (std::int32_t p = first; p < first + count; ++p) {
    std::vector<std::int32_t> replicas;
    for (std::int16_t r = 0; r < replication_factor; ++r) {
      replicas.push_back(brokers[(start + static_cast<std::size_t>(p) + static_cast<std::size_t>(r)) % brokers.size()]);
    }
    out.push_back(std::move(replicas));
  }
  return out;
}

std::optional<std::string> bad_assignment(const std::vector<std::int32_t>& replicas,
                                          const std::vector<std::int32_t>& live) {
  if (replicas.empty()) return "empty replica list";
  std::set<std::int32_t> seen;
  for (auto id : replicas) {
    if (!seen.insert(id).second) return "duplicate broker " + std::to_string(id);
    if (std::find(live.begin(), live.end(), id) == live.end()) return "unknown broker " + std::to_string(id);
  }
  return std::nullopt;
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

}  // namespace

std::vector<std::int32_t> TopicAdmin::live_brokers() const {
  std::vector<std::int32_t> ids;
  for (const auto& b : cache_.snapshot()->brokers) ids.push_back(b.node_id);
  return ids;
}

AdminResult TopicAdmin::commit_topic(const TopicMetadata& topic, std::int64_t expected_version) {
  std::string record = encode_topic(topic);
  sdk::StoreResult result = coordinator_.put(topic_key(topic.name), record, expected_version);
  if (result.status == sdk::StoreStatus::version_mismatch) {
    return fail(expected_version == sdk::kMustNotExist ? ErrorCode::topic_already_exists
                                                       : ErrorCode::concurrent_transactions,
                expected_version == sdk::kMustNotExist
                    ? "Topic '" + topic.name + "' already exists."
                    : "Topic '" + topic.name + "' was changed concurrently; retry.");
  }
  if (!result.ok()) return fail(ErrorCode::not_controller, "the metadata store is unavailable; retry");
  cache_.apply_store_changes({{topic_key(topic.name), sdk::VersionedValue{record, result.version}}});
  return {};
}

AdminResult TopicAdmin::create_topic(const TopicSpec& spec, bool validate_only, TopicMetadata* created) {
  if (auto reason = invalid_topic_name_reason(spec.name)) {
    return fail(ErrorCode::invalid_topic_exception, "Topic name '" + spec.name + "' is invalid: " + *reason);
  }
  if (cache_.snapshot()->topics.count(spec.name)) {
    return fail(ErrorCode::topic_already_exists, "Topic '" + spec.name + "' already exists.");
  }
  auto live = live_brokers();
  TopicMetadata topic;
  topic.name = spec.name;
  topic.topic_id = protocol::Uuid::random();
  topic.internal = spec.name.rfind("__", 0) == 0 && spec.name == "__consumer_offsets";

  if (!spec.assignments.empty()) {
    if (spec.num_partitions != -1 || spec.replication_factor != -1) {
      return fail(ErrorCode::invalid_request,
                  "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
    }
    std::int32_t expected = 0;
    for (const auto& [index, replicas] : spec.assignments) {
      if (index != expected++) return fail(ErrorCode::invalid_replica_assignment, "Partitions must be numbered from 0 without gaps.");
      if (auto why = bad_assignment(replicas, live)) return fail(ErrorCode::invalid_replica_assignment, *why);
      topic.partitions.push_back(new_partition(index, replicas));
    }
  } else {
    std::int32_t partitions = spec.num_partitions == -1 ? config_.topics.num_partitions : spec.num_partitions;
    std::int16_t factor = spec.replication_factor == -1 ? config_.topics.replication_factor : spec.replication_factor;
    if (partitions <= 0) return fail(ErrorCode::invalid_partitions, "Number of partitions must be larger than 0.");
    if (factor <= 0) return fail(ErrorCode::invalid_replication_factor, "Replication factor must be larger than 0.");
    if (static_cast<std::size_t>(factor) > live.size()) {
      return fail(ErrorCode::invalid_replication_factor,
                  "Replication factor: " + std::to_string(factor) + " larger than available brokers: " +
                      std::to_string(live.size()) + ".");
    }
    auto layout = spread(live, 0, partitions, factor);
    for (std::int32_t p = 0; p < partitions; ++p) topic.partitions.push_back(new_partition(p, layout[p]));
  }
  if (auto check = check_configs(spec.configs); !check.ok()) return check;
  topic.configs = spec.configs;
  if (validate_only) {
    if (created) *created = topic;
    return {};
  }
  AdminResult result = commit_topic(topic, sdk::kMustNotExist);
  if (result.ok()) {
    logging::get("cluster")->info("created topic {} ({} partitions, replication factor {})", topic.name,
                                  topic.partitions.size(), topic.partitions.front().replicas.size());
    if (created) *created = topic;
  }
  return result;
}

AdminResult TopicAdmin::delete_topic(const std::string& name) {
  auto current = coordinator_.get(topic_key(name));
  if (!current) return fail(ErrorCode::unknown_topic_or_partition, "This server does not host this topic-partition.");
  auto result = coordinator_.erase(topic_key(name), current->version);
  if (result.status == sdk::StoreStatus::version_mismatch || result.status == sdk::StoreStatus::not_found) {
    return fail(ErrorCode::unknown_topic_or_partition, "Topic '" + name + "' changed while deleting; retry.");
  }
  if (!result.ok()) return fail(ErrorCode::not_controller, "the metadata store is unavailable; retry");
  cache_.apply_store_changes({{topic_key(name), std::nullopt}});
  logging::get("cluster")->info("deleted topic {}", name);
  return {};
}

AdminResult TopicAdmin::create_partitions(const std::string& name, std::int32_t total_count,
                                          const std::vector<std::vector<std::int32_t>>& assignments,
                                          bool validate_only) {
  auto current = coordinator_.get(topic_key(name));
  if (!current) return fail(ErrorCode::unknown_topic_or_partition, "The topic '" + name + "' does not exist.");
  TopicMetadata topic = decode_topic(current->data);
  auto existing = static_cast<std::int32_t>(topic.partitions.size());
  if (total_count <= existing) {
    return fail(ErrorCode::invalid_partitions,
                total_count == existing
                    ? "Topic already has " + std::to_string(existing) + " partitions."
                    : "Topic currently has " + std::to_string(existing) +
                          " partitions, which is higher than the requested " + std::to_string(total_count) + ".");
  }
  auto live = live_brokers();
  std::int32_t added = total_count - existing;
  std::vector<std::vector<std::int32_t>> layout;
  if (!assignments.empty()) {
    if (static_cast<std::int32_t>(assignments.size()) != added) {
      return fail(ErrorCode::invalid_replica_assignment,
                  "Increasing the number of partitions by " + std::to_string(added) + " but " +
                      std::to_string(assignments.size()) + " assignments provided.");
    }
    for (const auto& replicas : assignments) {
      if (auto why = bad_assignment(replicas, live)) return fail(ErrorCode::invalid_replica_assignment, *why);
    }
    layout = assignments;
  } else {
    auto factor = static_cast<std::int16_t>(topic.partitions.front().replicas.size());
    if (static_cast<std::size_t>(factor) > live.size()) {
      return fail(ErrorCode::invalid_replication_factor, "Not enough live brokers for the topic's replication factor.");
    }
    layout = spread(live, existing, added, factor);
  }
  for (std::int32_t i = 0; i < added; ++i) topic.partitions.push_back(new_partition(existing + i, layout[i]));
  if (validate_only) return {};
  return commit_topic(topic, current->version);
}

AdminResult TopicAdmin::alter_topic_configs(const std::string& name,
                                            const std::map<std::string, std::optional<std::string>>& changes,
                                            bool incremental, bool validate_only) {
  auto current = coordinator_.get(topic_key(name));
  if (!current) return fail(ErrorCode::unknown_topic_or_partition, "The topic '" + name + "' does not exist.");
  TopicMetadata topic = decode_topic(current->data);
  if (!incremental) topic.configs.clear();
  for (const auto& [key, value] : changes) {
    if (value) {
      topic.configs[key] = *value;
    } else {
      topic.configs.erase(key);
    }
  }
  if (auto check = check_configs(topic.configs); !check.ok()) return check;
  if (validate_only) return {};
  return commit_topic(topic, current->version);
}

AdminResult TopicAdmin::ensure_topic(const std::string& name) {
  if (!config_.topics.auto_create) return fail(ErrorCode::unknown_topic_or_partition, "auto-creation is off");
  TopicSpec spec;
  spec.name = name;
  AdminResult result = create_topic(spec, false);
  if (result.error == ErrorCode::topic_already_exists) return {};
  return result;
}

}  // namespace brokkr::cluster
