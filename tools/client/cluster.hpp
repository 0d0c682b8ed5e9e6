// The client's view of a cluster: bootstrap servers, the brokers and topics
// Metadata reports, and one connection per broker. Finds the leader of a
// partition and the coordinator of a group. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker_connection.hpp"
#include "properties.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::client {

struct PartitionMetadata {
  std::int32_t partition = 0;
  std::int16_t error = 0;
  std::int32_t leader = -1;
  std::int32_t leader_epoch = -1;
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
  std::vector<std::int32_t> offline;
};

struct TopicMetadata {
  std::string name;
  protocol::Uuid id{};
  std::int16_t error = 0;
  bool internal = false;
  std::vector<PartitionMetadata> partitions;  // sorted by partition
};

struct ClusterMetadata {
  std::string cluster_id;
  std::int32_t controller_id = -1;
  std::map<std::int32_t, BrokerAddress> brokers;
  std::map<std::string, TopicMetadata> topics;
};

// "host:port,host:port" -> addresses with node ids -1, -2, ...; throws
// ClientError naming a malformed entry.
std::vector<BrokerAddress> parse_bootstrap_servers(const std::string& list);

class Cluster {
 public:
  // Reads bootstrap.servers (required), client.id, request.timeout.ms.
  explicit Cluster(const Properties& properties);

  const std::string& client_id() const { return client_id_; }
  std::chrono::milliseconds request_timeout() const { return timeout_; }

  // Any connected broker: the first bootstrap server that answers, or a
  // broker from metadata. Throws NetworkError listing what was tried.
  BrokerConnection& any_broker();
  // The connection to a broker known from metadata (connected on demand).
  BrokerConnection& broker(std::int32_t node_id);
  BrokerConnection& controller();

  // Metadata for `topics` (nullopt = all topics). Updates the cached view.
  const ClusterMetadata& refresh_metadata(const std::optional<std::vector<std::string>>& topics,
                                          bool allow_auto_topic_creation = false);
  const ClusterMetadata& metadata() const { return metadata_; }
  // The cached topic, refreshing once when it is unknown; nullptr when the
  // cluster does not have it.
  const TopicMetadata* topic(const std::string& name);

  // The leader connection of a partition (refreshes metadata when the
  // partition is unknown or leaderless); throws KafkaError when it has none.
  BrokerConnection& leader(const std::string& topic, std::int32_t partition);

  // FindCoordinator: key_type 0 = group, 1 = transaction. Cached until
  // forget_coordinator().
  BrokerConnection& coordinator(const std::string& key, std::int8_t key_type = 0);
  void forget_coordinator(const std::string& key);

 private:
  BrokerConnection& connection_for(const BrokerAddress& address);

  std::vector<BrokerAddress> bootstrap_;
  std::string client_id_;
  std::chrono::milliseconds timeout_;
  ClusterMetadata metadata_;
  std::map<std::int32_t, std::unique_ptr<BrokerConnection>> connections_;  // by node id
  std::map<std::string, std::int32_t> coordinators_;
  BrokerConnection* any_ = nullptr;
};

}  // namespace brokkr::client
