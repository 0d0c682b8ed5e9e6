#include "cluster.hpp"

#include <algorithm>
#include <charconv>

#include "client_error.hpp"
#include "protocol/generated/find_coordinator_request.hpp"
#include "protocol/generated/find_coordinator_response.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/metadata_response.hpp"

namespace brokkr::client {

std::vector<BrokerAddress> parse_bootstrap_servers(const std::string& list) {
  std::vector<BrokerAddress> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string entry = list.substr(start, end - start);
    entry.erase(0, entry.find_first_not_of(' '));
    entry.erase(entry.find_last_not_of(' ') + 1);
    start = end + 1;
    if (entry.empty()) continue;
    auto colon = entry.rfind(':');
    unsigned port = 0;
    std::string host = colon == std::string::npos ? "" : entry.substr(0, colon);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    auto digits = colon == std::string::npos ? std::string_view{} : std::string_view(entry).substr(colon + 1);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (host.empty() || digits.empty() || ec != std::errc() || p != digits.data() + digits.size() ||
        port == 0 || port > 65535) {
      throw ClientError("Invalid url in bootstrap.servers: " + entry + " (expected host:port)");
    }
    out.push_back(BrokerAddress{-static_cast<std::int32_t>(out.size()) - 1, host,
                                static_cast<std::uint16_t>(port), {}});
  }
  if (out.empty()) throw ClientError("No resolvable bootstrap urls given in bootstrap.servers");
  return out;
}

Cluster::Cluster(const Properties& properties)
    : bootstrap_(parse_bootstrap_servers(properties.get_string("bootstrap.servers", ""))),
      client_id_(properties.get_string("client.id", "brokkr-client")),
      timeout_(properties.get_int("request.timeout.ms", 30000)) {}

BrokerConnection& Cluster::connection_for(const BrokerAddress& address) {
  auto& slot = connections_[address.node_id];
  if (!slot || slot->address().host != address.host || slot->address().port != address.port) {
    slot = std::make_unique<BrokerConnection>(address, client_id_, timeout_);
  }
  slot->open();
  return *slot;
}

BrokerConnection& Cluster::any_broker() {
  if (any_ != nullptr && any_->is_open()) return *any_;
  std::vector<BrokerAddress> candidates;
  for (const auto& [id, address] : metadata_.brokers) candidates.push_back(address);
  candidates.insert(candidates.end(), bootstrap_.begin(), bootstrap_.end());
  std::string errors;
  for (const auto& address : candidates) {
    try {
      any_ = &connection_for(address);
      return *any_;
    } catch (const NetworkError& e) {
      errors = e.what();
    }
  }
  throw NetworkError(errors);
}

BrokerConnection& Cluster::broker(std::int32_t node_id) {
  auto it = metadata_.brokers.find(node_id);
  if (it == metadata_.brokers.end()) {
    refresh_metadata(std::vector<std::string>{});
    it = metadata_.brokers.find(node_id);
    if (it == metadata_.brokers.end()) {
      throw ClientError("Broker " + std::to_string(node_id) + " is not in the cluster metadata");
    }
  }
  return connection_for(it->second);
}

BrokerConnection& Cluster::controller() {
  if (metadata_.controller_id < 0) refresh_metadata(std::vector<std::string>{});
  if (metadata_.controller_id < 0) return any_broker();
  return broker(metadata_.controller_id);
}

const ClusterMetadata& Cluster::refresh_metadata(const std::optional<std::vector<std::string>>& topics,
                                                 bool allow_auto_topic_creation) {
  protocol::MetadataRequest request;
  if (topics) {
    request.topics.emplace();
    for (const auto& name : *topics) {
      protocol::MetadataRequest::MetadataRequestTopic t;
      t.name = name;
      request.topics->push_back(std::move(t));
    }
  } else {
    request.topics.reset();  // null = every topic
  }
  request.allow_auto_topic_creation = allow_auto_topic_creation;
  auto& connection = any_broker();
  auto response = connection.call<protocol::MetadataResponse>(request);

  ClusterMetadata fresh;
  fresh.cluster_id = response.cluster_id.value_or("");
  fresh.controller_id = response.controller_id;
  for (const auto& b : response.brokers) {
    fresh.brokers[b.node_id] = BrokerAddress{b.node_id, b.host, static_cast<std::uint16_t>(b.port),
                                             b.rack.value_or("")};
  }
  // A partial request updates only the topics it named.
  if (topics) fresh.topics = std::move(metadata_.topics);
  for (const auto& t : response.topics) {
    TopicMetadata topic;
    topic.name = t.name.value_or("");
    topic.id = t.topic_id;
    topic.error = t.error_code;
    topic.internal = t.is_internal;
    for (const auto& p : t.partitions) {
      topic.partitions.push_back(PartitionMetadata{p.partition_index, p.error_code, p.leader_id,
                                                   p.leader_epoch, p.replica_nodes, p.isr_nodes,
                                                   p.offline_replicas});
    }
    std::sort(topic.partitions.begin(), topic.partitions.end(),
              [](const auto& a, const auto& b) { return a.partition < b.partition; });
    if (topic.error == 3) {  // UNKNOWN_TOPIC_OR_PARTITION: forget it
      fresh.topics.erase(topic.name);
      continue;
    }
    fresh.topics[topic.name] = std::move(topic);
  }
  metadata_ = std::move(fresh);
  return metadata_;
}

const TopicMetadata* Cluster::topic(const std::string& name) {
  auto it = metadata_.topics.find(name);
  if (it == metadata_.topics.end() || it->second.error != 0) {
    refresh_metadata(std::vector<std::string>{name});
    it = metadata_.topics.find(name);
  }
  return it == metadata_.topics.end() ? nullptr : &it->second;
}

BrokerConnection& Cluster::leader(const std::string& topic_name, std::int32_t partition) {
  auto find = [&]() -> const PartitionMetadata* {
    auto it = metadata_.topics.find(topic_name);
    if (it == metadata_.topics.end()) return nullptr;
    for (const auto& p : it->second.partitions) {
      if (p.partition == partition) return &p;
    }
    return nullptr;
  };
  const PartitionMetadata* p = find();
  if (p == nullptr || p->leader < 0) {
    refresh_metadata(std::vector<std::string>{topic_name});
    p = find();
  }
  if (p == nullptr) throw_if_error(3, "topic " + topic_name + " partition " + std::to_string(partition));
  if (p->leader < 0) throw_if_error(5, "topic " + topic_name + " partition " + std::to_string(partition));
  return broker(p->leader);
}

BrokerConnection& Cluster::coordinator(const std::string& key, std::int8_t key_type) {
  if (auto it = coordinators_.find(key); it != coordinators_.end()) return broker(it->second);
  auto& connection = any_broker();
  protocol::FindCoordinatorRequest request;
  request.key_type = key_type;
  const auto version = connection.version_for<protocol::FindCoordinatorRequest>();
  std::int32_t node_id = -1;
  std::string host;
  std::int32_t port = 0;
  if (version >= 4) {
    request.coordinator_keys = {key};
    auto response = connection.call<protocol::FindCoordinatorResponse>(request, version);
    if (response.coordinators.size() != 1) throw ClientError("FindCoordinator answered no coordinator for " + key);
    const auto& c = response.coordinators.front();
    throw_if_error(c.error_code, "coordinator of " + key, c.error_message.value_or(""));
    node_id = c.node_id, host = c.host, port = c.port;
  } else {
    request.key = key;
    auto response = connection.call<protocol::FindCoordinatorResponse>(request, version);
    throw_if_error(response.error_code, "coordinator of " + key, response.error_message.value_or(""));
    node_id = response.node_id, host = response.host, port = response.port;
  }
  metadata_.brokers[node_id] = BrokerAddress{node_id, host, static_cast<std::uint16_t>(port), {}};
  coordinators_[key] = node_id;
  return broker(node_id);
}

void Cluster::forget_coordinator(const std::string& key) { coordinators_.erase(key); }

}  // namespace brokkr::client
