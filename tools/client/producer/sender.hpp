// The producer's I/O thread: takes ready batches from the accumulator,
// sends them to their partition leaders in Produce requests (one batch per
// partition per request, up to max.request.size, up to
// max.in.flight.requests.per.connection requests per connection before it
// reads an answer), completes them, and retries retriable failures after
// refreshing metadata. With acks=0 brokers answer nothing: a batch is done
// once written. Owns the Cluster (connections are used by this thread only).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cluster.hpp"
#include "producer/producer_batch.hpp"
#include "producer/producer_config.hpp"
#include "producer/record_accumulator.hpp"
#include "protocol/generated/produce_response.hpp"

namespace brokkr::client {

class Sender {
 public:
  Sender(const Properties& properties, const ProducerConfig& config, RecordAccumulator& accumulator);
  // Runs until the accumulator is closed and everything queued is done.
  void run();

 private:
  using Batches = std::vector<std::unique_ptr<ProducerBatch>>;
  struct InFlight {
    BrokerConnection* connection;
    std::int32_t correlation_id;
    std::int16_t version;
    Batches batches;
  };

  void refresh_metadata(const std::vector<std::string>& asked);
  void route(Batches batches);
  std::int32_t leader_of(const TopicPartition& partition) const;
  void send_to(std::int32_t node, Batches batches);
  void send_request(std::int32_t node, BrokerConnection& connection, Batches batches);
  void receive_oldest(std::int32_t node);
  void receive_oldest_anywhere();
  void receive_everything();
  void handle_response(InFlight& request, const protocol::ProduceResponse& response);
  void connection_failed(std::int32_t node, const std::string& why, Batches unsent);
  void retry_or_fail(std::unique_ptr<ProducerBatch> batch, const SendError& error);
  void finish(std::unique_ptr<ProducerBatch> batch, std::int64_t base_offset, std::int64_t log_append_time,
              const SendError* error);
  void flush_retries();
  std::size_t in_flight_count() const;

  Cluster cluster_;
  const ProducerConfig& config_;
  RecordAccumulator& accumulator_;
  std::map<std::int32_t, std::deque<InFlight>> in_flight_;  // by node id
  std::set<std::string> stale_topics_;  // refresh before the next send
  Batches to_retry_;
  bool reached_cluster_ = false;  // a metadata request succeeded once
};

}  // namespace brokkr::client
