#include "handlers/metadata_handler.hpp"

#include <algorithm>
#include <set>

#include "cluster/topic_names.hpp"
#include "protocol/error_code.hpp"
#include "protocol/generated/metadata_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::ErrorCode;
using protocol::MetadataResponse;
using Topic = MetadataResponse::MetadataResponseTopic;
using Partition = MetadataResponse::MetadataResponsePartition;

bool contains(const std::vector<std::int32_t>& v, std::int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Brokers are listed with their endpoint on the listener the request came
// in on; a broker without that listener is not reachable this way.
void add_brokers(const cluster::MetadataSnapshot& snapshot, const std::string& listener,
                 MetadataResponse& response) {
  for (const auto& broker : snapshot.brokers) {
    for (const auto& endpoint : broker.endpoints) {
      if (endpoint.listener_name != listener) continue;
      MetadataResponse::MetadataResponseBroker entry;
      entry.node_id = broker.node_id;
      entry.host = endpoint.host;
      entry.port = endpoint.port;
      entry.rack = broker.rack;
      response.brokers.push_back(std::move(entry));
      break;
    }
  }
}

Topic describe_topic(const cluster::MetadataSnapshot& snapshot, const cluster::TopicMetadata& topic) {
  std::set<std::int32_t> live;
  for (const auto& broker : snapshot.brokers) live.insert(broker.node_id);

  Topic entry;
  entry.error_code = protocol::code(ErrorCode::none);
  entry.name = topic.name;
  entry.topic_id = topic.topic_id;
  entry.is_internal = topic.internal;
  for (const auto& state : topic.partitions) {
    Partition p;
    p.partition_index = state.partition;
    p.leader_epoch = state.leader_epoch;
    p.replica_nodes = state.replicas;
    p.isr_nodes = state.isr;
    for (auto replica : state.replicas) {
      if (!live.count(replica)) p.offline_replicas.push_back(replica);
    }
    bool leader_live = state.leader >= 0 && live.count(state.leader) && contains(state.isr, state.leader);
    p.leader_id = leader_live ? state.leader : -1;
    p.error_code = protocol::code(leader_live ? ErrorCode::none : ErrorCode::leader_not_available);
    entry.partitions.push_back(std::move(p));
  }
  return entry;
}

Topic topic_error(std::optional<std::string> name, const protocol::Uuid& id, ErrorCode error) {
  Topic entry;
  entry.error_code = protocol::code(error);
  entry.name = std::move(name);
  entry.topic_id = id;
  return entry;
}

// What a failed auto-creation answers: errors a retry cannot fix are passed
// on; anything else (a store hiccup) is retriable like a missing leader.
ErrorCode auto_create_error(const cluster::AdminResult& result) {
  switch (result.error) {
    case ErrorCode::none:
      return ErrorCode::leader_not_available;
    case ErrorCode::unknown_topic_or_partition:  // auto-creation is off
    case ErrorCode::invalid_replication_factor:
    case ErrorCode::invalid_topic_exception:     // collides with an existing name
    case ErrorCode::policy_violation:
    case ErrorCode::invalid_partitions:
      return result.error;
    default:
      return ErrorCode::leader_not_available;
  }
}

}  // namespace

void MetadataHandler::handle(const RequestContext& context, protocol::MetadataRequest request,
                             ResponseWriter respond) {
  auto snapshot = cache_.snapshot();
  MetadataResponse response;
  add_brokers(*snapshot, context.connection.listener_name, response);
  response.cluster_id = snapshot->cluster_id;
  response.controller_id = snapshot->controller_id.value_or(-1);

  // v0: an empty list means every topic; v1+: null means every topic.
  bool all_topics = !request.topics.has_value() ||
                    (context.api_version == 0 && request.topics->empty());
  if (all_topics) {
    for (const auto& [name, topic] : snapshot->topics) {
      response.topics.push_back(describe_topic(*snapshot, *topic));
    }
    return respond.send(response);
  }

  // Auto-creation (Kafka's auto.create.topics.enable): v0-v3 always ask for
  // it, v4+ say so. Creation is synchronous here, so the new topic is
  // described in this very response (Kafka, creating asynchronously, answers
  // LEADER_NOT_AVAILABLE first; clients handle both). Internal topics are
  // created by their owners with their own settings.
  bool auto_create = admin_ && (context.api_version < 4 || request.allow_auto_topic_creation);
  for (const auto& wanted : *request.topics) {
    if (!wanted.name) {
      // Lookup by topic id (v12+).
      const cluster::TopicMetadata* found = nullptr;
      for (const auto& [name, topic] : snapshot->topics) {
        if (topic->topic_id == wanted.topic_id) found = topic.get();
      }
      response.topics.push_back(found ? describe_topic(*snapshot, *found)
                                      : topic_error(std::nullopt, wanted.topic_id,
                                                    ErrorCode::unknown_topic_id));
      continue;
    }
    const std::string& name = *wanted.name;
    if (auto it = snapshot->topics.find(name); it != snapshot->topics.end()) {
      response.topics.push_back(describe_topic(*snapshot, *it->second));
    } else if (cluster::invalid_topic_name_reason(name)) {
      response.topics.push_back(topic_error(name, {}, ErrorCode::invalid_topic_exception));
    } else if (auto_create && !cluster::is_internal_topic(name)) {
      auto created = admin_->ensure_topic(name);
      auto now = cache_.snapshot();
      auto it = now->topics.find(name);
      if (created.ok() && it != now->topics.end()) {
        response.topics.push_back(describe_topic(*now, *it->second));
      } else {
        response.topics.push_back(topic_error(name, {}, auto_create_error(created)));
      }
    } else {
      response.topics.push_back(topic_error(name, {}, ErrorCode::unknown_topic_or_partition));
    }
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
