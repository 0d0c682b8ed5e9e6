#include "handlers/create_topics_handler.hpp"

#include <map>
#include <set>

#include "protocol/generated/create_topics_response.hpp"

namespace brokkr::handlers {

using protocol::CreateTopicsResponse;
using protocol::ErrorCode;
using Result = CreateTopicsResponse::CreatableTopicResult;

void CreateTopicsHandler::handle(const RequestContext& context, protocol::CreateTopicsRequest request,
                                 ResponseWriter respond) {
  // As in Kafka, a name given more than once is not created at all and gets
  // a single INVALID_REQUEST result.
  std::map<std::string, int> occurrences;
  for (const auto& topic : request.topics) ++occurrences[topic.name];

  CreateTopicsResponse response;
  std::set<std::string> answered;
  for (const auto& topic : request.topics) {
    if (!answered.insert(topic.name).second) continue;
    Result result;
    result.name = topic.name;
    result.error_message = std::nullopt;
    auto fail = [&](ErrorCode error, std::string message) {
      result.error_code = protocol::code(error);
      result.error_message = std::move(message);
      response.topics.push_back(std::move(result));
    };
    if (occurrences[topic.name] > 1) {
      fail(ErrorCode::invalid_request, "Duplicate topic name.");
      continue;
    }

    cluster::TopicSpec spec;
    spec.name = topic.name;
    spec.num_partitions = topic.num_partitions;
    spec.replication_factor = topic.replication_factor;
    for (const auto& a : topic.assignments) spec.assignments.push_back({a.partition_index, a.broker_ids});
    std::string null_configs;
    for (const auto& c : topic.configs) {
      if (c.value) {
        spec.configs[c.name] = *c.value;
      } else {
        null_configs += (null_configs.empty() ? "" : ",") + c.name;
      }
    }
    if (!null_configs.empty()) {
      fail(ErrorCode::invalid_request, "Null value not supported for topic configs: " + null_configs);
      continue;
    }

    cluster::TopicMetadata created;
    auto outcome = admin_.create_topic(spec, request.validate_only, &created);
    if (!outcome.ok()) {
      fail(outcome.error, outcome.message);
      continue;
    }
    result.topic_id = created.topic_id;  // zero for validate_only
    result.num_partitions = static_cast<std::int32_t>(created.partitions.size());
    result.replication_factor = static_cast<std::int16_t>(created.partitions.front().replicas.size());
    std::vector<CreateTopicsResponse::CreatableTopicConfigs> configs;
    for (const auto& entry : admin_.topic_config_entries(created)) {
      CreateTopicsResponse::CreatableTopicConfigs config;
      config.name = entry.name;
      config.value = entry.value;
      config.read_only = entry.read_only;
      config.config_source = static_cast<std::int8_t>(entry.source);
      config.is_sensitive = entry.sensitive;
      configs.push_back(std::move(config));
    }
    result.configs = std::move(configs);
    response.topics.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
