// Fetch requests, one per partition leader, on connections of their own so
// a fetch can stay in flight (pipelined) while the group member and offset
// commits use the cluster's connections. Full fetches every time (session
// id 0, epoch -1), which brokers must accept.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "cluster.hpp"
#include "consumer/consumer_config.hpp"
#include "records/record.hpp"
#include "topic_partition.hpp"

namespace brokkr::client {

struct FetchTarget {
  TopicPartition partition;
  std::int64_t offset = 0;
  std::uint64_t token = 0;  // the caller's seek generation, handed back in the result
};

// A network failure is reported per partition with this code.
inline constexpr std::int16_t kFetchNetworkError = -1;

struct FetchResult {
  TopicPartition partition;
  std::uint64_t token = 0;
  std::int64_t fetch_offset = 0;
  std::int16_t error = 0;
  std::vector<ConsumerRecord> records;
  std::int64_t next_offset = -1;  // where the next fetch starts; -1 = no whole batch came
  std::int64_t high_watermark = -1;
};

class Fetcher {
 public:
  Fetcher(Cluster& cluster, const ConsumerConfig& config);
  ~Fetcher();

  // Sends one Fetch to broker `node` for `targets`.
  void send(std::int32_t node, const std::vector<FetchTarget>& targets);
  bool in_flight() const { return !in_flight_.empty(); }
  // Waits for every fetch in flight and decodes their records.
  std::vector<FetchResult> collect();
  void close();

 private:
  struct InFlight {
    std::int32_t node = -1;
    std::int32_t correlation_id = 0;
    std::int16_t version = 0;
    std::vector<FetchTarget> targets;
  };
  BrokerConnection& connection(std::int32_t node);
  void receive(const InFlight& request, std::vector<FetchResult>& out);
  void fail_all(const InFlight& request, std::vector<FetchResult>& out);

  Cluster& cluster_;
  ConsumerConfig config_;
  std::map<std::int32_t, std::unique_ptr<BrokerConnection>> connections_;
  std::vector<InFlight> in_flight_;
};

}  // namespace brokkr::client
