#include "handlers/create_topics_handler.hpp"

#include <set>

#include "config/topic_config_schema.hpp"
#include "protocol/generated/create_topics_response.hpp"

namespace brokkr::handlers {

using protocol::CreateTopicsResponse;
using protocol::ErrorCode;

void CreateTopicsHandler::handle(const RequestContext& context, protocol::CreateTopicsRequest request,
                                 ResponseWriter respond) {
  CreateTopicsResponse response;
  std::set<std::string> seen;
  for (const auto& topic : request.topics) {
    CreateTopicsResponse::CreatableTopicResult result;
    result.name = topic.name;
    result.error_message = std::nullopt;
    result.configs = std::nullopt;
    if (!seen.insert(topic.name).second) {
      result.error_code = protocol::code(ErrorCode::invalid_request);
      result.error_message = "Duplicate topic name.";
      response.topics.push_back(std::move(result));
      continue;
    }
    cluster::TopicSpec spec;
    spec.name = topic.name;
    spec.num_partitions = topic.num_partitions;
    spec.replication_factor = topic.replication_factor;
    for (const auto& a : topic.assignments) spec.assignments[a.partition_index] = a.broker_ids;
    for (const auto& c : topic.configs) {
      if (c.value) spec.configs[c.name] = *c.value;
    }
    cluster::TopicMetadata created;
    auto outcome = admin_.create_topic(spec, request.validate_only, &created);
    result.error_code = protocol::code(outcome.error);
    if (!outcome.ok()) {
      result.error_message = outcome.message;
    } else {
      result.topic_id = created.topic_id;
      result.num_partitions = static_cast<std::int32_t>(created.partitions.size());
      result.replication_factor = static_cast<std::int16_t>(created.partitions.front().replicas.size());
      std::vector<CreateTopicsResponse::CreatableTopicConfigs> configs;
      for (const auto& [name, value] :
           config::effective_topic_configs(created.configs, config_.topics.config)) {
        CreateTopicsResponse::CreatableTopicConfigs entry;
        entry.name = name;
        entry.value = value;
        // Kafka's ConfigSource: 1 dynamic topic, 4 static broker, 5 default.
        entry.config_source = created.configs.count(name) ? 1 : config_.topics.config.count(name) ? 4 : 5;
        configs.push_back(std::move(entry));
      }
      result.configs = std::move(configs);
    }
    response.topics.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
