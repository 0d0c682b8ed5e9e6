// The broker's validated configuration. Field defaults are the embedded
// defaults: a broker started with no config file runs with exactly these.
// configs/broker.toml documents every key (a test checks they agree).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/config.hpp"

namespace brokkr::config {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  bool operator==(const HostPort&) const = default;
  std::string to_string() const;
};

struct ListenerConfig {
  std::string name = "PLAINTEXT";
  std::string security_protocol = "PLAINTEXT";
  HostPort listen{"127.0.0.1", 9092};
  std::optional<HostPort> advertise;  // defaults to `listen`
  HostPort advertised() const { return advertise.value_or(listen); }
};

struct NetworkConfig {
  std::int32_t max_request_bytes = 104857600;  // Kafka's socket.request.max.bytes
  std::int32_t io_threads = 1;
  // Threads running request handlers (disk appends, reads, admin work), so
  // the event loop never waits on disk (Kafka's num.io.threads).
  std::int32_t handler_threads = 2;
  std::int32_t max_inflight_requests_per_connection = 32;
  std::int32_t shutdown_timeout_ms = 30000;
  // A compressed batch whose records decompress to more than this is
  // refused (decompression bombs), without allocating the claimed size.
  std::int32_t max_decompressed_batch_bytes = 268435456;
};

struct LoggingConfig {
  std::string level = "info";
  std::map<std::string, std::string> components;  // component -> level
};

struct PluginsConfig {
  std::vector<std::filesystem::path> directories;  // empty: <exe>/../lib/brokkr/plugins
  std::string coordination = "raft";
  std::string storage = "segment";
  std::vector<std::string> codecs{"gzip", "snappy", "lz4", "zstd"};  // compression codec plugins
  std::vector<std::string> assignors{"uniform", "range", "roundrobin"};  // consumer-group assignors
  std::map<std::string, sdk::ConfigTable> settings;  // [plugins.<name>] sub-tables
};

// Topic creation defaults and broker-wide topic config defaults.
struct TopicsConfig {
  bool auto_create = true;                 // Kafka's auto.create.topics.enable
  std::int32_t num_partitions = 1;         // num.partitions
  std::int16_t replication_factor = 1;     // default.replication.factor
  // Broker-wide defaults for topic configs, by Kafka's topic config names
  // ("retention.ms", "segment.bytes", ...), values as strings.
  std::map<std::string, std::string> config;
};

// Consumer groups ([groups] in the TOML; Kafka's names in comments).
struct GroupsConfig {
  std::int32_t offsets_partitions = 50;              // offsets.topic.num.partitions
  std::int16_t offsets_replication_factor = 1;       // offsets.topic.replication.factor
  std::int32_t offsets_segment_bytes = 104857600;    // offsets.topic.segment.bytes
  std::int64_t offsets_retention_ms = 604800000;     // offsets.retention.minutes (7 days)
  std::int64_t offsets_retention_check_interval_ms = 600000;  // offsets.retention.check.interval.ms
  std::int32_t offset_metadata_max_bytes = 4096;     // offset.metadata.max.bytes
  std::int32_t min_session_timeout_ms = 6000;        // group.min.session.timeout.ms
  std::int32_t max_session_timeout_ms = 1800000;     // group.max.session.timeout.ms
  std::int32_t initial_rebalance_delay_ms = 3000;    // group.initial.rebalance.delay.ms
  std::int32_t max_size = 2147483647;                // group.max.size
  // KIP-848 (group.consumer.*): assignor plugins the broker offers, the
  // first is the default; heartbeat interval and session timeout.
  std::vector<std::string> consumer_assignors{"uniform", "range"};  // group.consumer.assignors
  std::int32_t consumer_heartbeat_interval_ms = 5000;  // group.consumer.heartbeat.interval.ms
  std::int32_t consumer_session_timeout_ms = 45000;    // group.consumer.session.timeout.ms
};

struct BrokerConfig {
  std::int32_t node_id = 1;
  std::filesystem::path data_dir = "./brokkr-data";
  std::optional<std::string> rack;
  std::vector<ListenerConfig> listeners{ListenerConfig{}};
  NetworkConfig network;
  LoggingConfig logging;
  PluginsConfig plugins;
  TopicsConfig topics;
  GroupsConfig groups;
};

}  // namespace brokkr::config
