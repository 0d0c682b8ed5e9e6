// Topics and partitions: CreateTopics, DeleteTopics, CreatePartitions (at
// the controller) and Metadata (at any broker).
#include <algorithm>

#include "admin/admin_client.hpp"
#include "client_error.hpp"
#include "protocol/generated/create_partitions_request.hpp"
#include "protocol/generated/create_partitions_response.hpp"
#include "protocol/generated/create_topics_request.hpp"
#include "protocol/generated/create_topics_response.hpp"
#include "protocol/generated/delete_topics_request.hpp"
#include "protocol/generated/delete_topics_response.hpp"

namespace brokkr::client::admin {
namespace {

constexpr std::int16_t kNotController = 41;
constexpr std::int16_t kUnknownTopicOrPartition = 3;

// The first error of a response's per-topic results: NOT_CONTROLLER is
// returned (the caller retries elsewhere), anything else thrown.
template <typename Results>
std::int16_t check_results(const Results& results) {
  for (const auto& r : results) {
    if (r.error_code == kNotController) return kNotController;
  }
  for (const auto& r : results) {
    throw_if_error(r.error_code, "", r.error_message.value_or(""));
  }
  return 0;
}

}  // namespace

std::vector<CreatedTopic> AdminClient::create_topics(const std::vector<NewTopic>& topics, bool validate_only) {
  protocol::CreateTopicsRequest request;
  request.timeout_ms = timeout_ms();
  request.validate_only = validate_only;
  for (const auto& topic : topics) {
    protocol::CreateTopicsRequest::CreatableTopic t;
    t.name = topic.name;
    t.num_partitions = topic.assignments.empty() ? topic.partitions : -1;
    t.replication_factor = topic.assignments.empty() ? topic.replication_factor : std::int16_t{-1};
    for (const auto& [partition, brokers] : topic.assignments) {
      protocol::CreateTopicsRequest::CreatableReplicaAssignment a;
      a.partition_index = partition;
      a.broker_ids = brokers;
      t.assignments.push_back(std::move(a));
    }
    for (const auto& [name, value] : topic.configs) {
      protocol::CreateTopicsRequest::CreatableTopicConfig c;
      c.name = name;
      c.value = value;
      t.configs.push_back(std::move(c));
    }
    request.topics.push_back(std::move(t));
  }
  std::vector<CreatedTopic> created;
  on_controller([&](BrokerConnection& connection) {
    auto response = connection.call<protocol::CreateTopicsResponse>(request);
    if (auto error = check_results(response.topics)) return error;
    created.clear();
    for (const auto& r : response.topics) {
      created.push_back(CreatedTopic{r.name, r.topic_id, r.num_partitions, r.replication_factor});
    }
    return std::int16_t{0};
  });
  return created;
}

void AdminClient::delete_topics(const std::vector<std::string>& names) {
  if (names.empty()) return;
  protocol::DeleteTopicsRequest request;
  request.timeout_ms = timeout_ms();
  for (const auto& name : names) {
    protocol::DeleteTopicsRequest::DeleteTopicState state;
    state.name = name;
    request.topics.push_back(std::move(state));  // v6+
    request.topic_names.push_back(name);         // v0-5
  }
  on_controller([&](BrokerConnection& connection) {
    auto response = connection.call<protocol::DeleteTopicsResponse>(request);
    return check_results(response.responses);
  });
}

std::vector<TopicListing> AdminClient::list_topics(bool include_internal) {
  const auto& metadata = cluster_.refresh_metadata(std::nullopt);
  std::vector<TopicListing> out;
  for (const auto& [name, topic] : metadata.topics) {  // std::map: sorted by name
    if (topic.error != 0) continue;
    bool internal = topic.internal || is_internal_topic_name(name);
    if (internal && !include_internal) continue;
    out.push_back(TopicListing{name, topic.id, internal});
  }
  return out;
}

std::vector<TopicDescription> AdminClient::describe_topics(const std::vector<std::string>& names) {
  std::vector<TopicDescription> out;
  if (names.empty()) return out;
  const auto& metadata = cluster_.refresh_metadata(names);
  for (const auto& name : names) {
    auto it = metadata.topics.find(name);
    if (it == metadata.topics.end()) throw_if_error(kUnknownTopicOrPartition, "");
    const TopicMetadata& topic = it->second;
    throw_if_error(topic.error, "");
    TopicDescription description{topic.name, topic.id, topic.internal || is_internal_topic_name(name), {}};
    for (const auto& p : topic.partitions) {
      description.partitions.push_back(PartitionInfo{p.partition, p.leader, p.replicas, p.isr, p.offline});
    }
    out.push_back(std::move(description));
  }
  return out;
}

void AdminClient::create_partitions(const std::vector<NewPartitions>& requests, bool validate_only) {
  protocol::CreatePartitionsRequest request;
  request.timeout_ms = timeout_ms();
  request.validate_only = validate_only;
  for (const auto& r : requests) {
    protocol::CreatePartitionsRequest::CreatePartitionsTopic t;
    t.name = r.topic;
    t.count = r.total_count;
    if (r.assignments.empty()) {
      t.assignments.reset();  // null: the broker places the new partitions
    } else {
      for (const auto& brokers : r.assignments) {
        protocol::CreatePartitionsRequest::CreatePartitionsAssignment a;
        a.broker_ids = brokers;
        t.assignments->push_back(std::move(a));
      }
    }
    request.topics.push_back(std::move(t));
  }
  on_controller([&](BrokerConnection& connection) {
    auto response = connection.call<protocol::CreatePartitionsResponse>(request);
    return check_results(response.results);
  });
}

}  // namespace brokkr::client::admin
