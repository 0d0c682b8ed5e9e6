#include "producer/sender.hpp"

#include <algorithm>

#include "client_error.hpp"
#include "error_codes.hpp"
#include "protocol/generated/produce_request.hpp"

namespace brokkr::client {
namespace {

using Clock = std::chrono::steady_clock;

SendError broker_error(std::int16_t code, const std::optional<std::string>& message) {
  auto description = describe_error(code);
  return SendError{code, description.exception,
                   message && !message->empty() ? *message : std::string(description.message)};
}

SendError network_error(const std::string& why) { return SendError{13, "NetworkException", why}; }

// Errors after which the partition's leader may have moved.
bool needs_metadata(std::int16_t code) {
  return code == 3 || code == 5 || code == 6 || code == 13 || code == 74 || code == 75 || code == 100;
}

}  // namespace

Sender::Sender(const Properties& properties, const ProducerConfig& config, RecordAccumulator& accumulator)
    : cluster_(properties), config_(config), accumulator_(accumulator) {}

std::size_t Sender::in_flight_count() const {
  std::size_t n = 0;
  for (const auto& [node, queue] : in_flight_) n += queue.size();
  return n;
}

void Sender::run() {
  for (;;) {
    const bool idle = in_flight_count() == 0;
    auto work = accumulator_.take_work(idle, idle);
    if (work.shutdown) break;
    for (auto& batch : work.expired) {
      auto records = batch->callbacks.size();
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - batch->created).count();
      SendError error{7, "TimeoutException",
                      "Expiring " + std::to_string(records) + " record(s) for " + batch->partition.to_string() + ":" +
                          std::to_string(waited) + " ms has passed since batch creation"};
      finish(std::move(batch), -1, -1, &error);
    }
    if (!work.metadata_topics.empty() || (!stale_topics_.empty() && !work.ready.empty())) {
      refresh_metadata(work.metadata_topics);
    }
    if (!work.ready.empty()) {
      route(std::move(work.ready));
    } else if (!idle) {
      receive_oldest_anywhere();
    }
    flush_retries();
  }
  receive_everything();
  flush_retries();
}

void Sender::refresh_metadata(const std::vector<std::string>& asked) {
  // A metadata request may share a connection with pipelined Produce
  // requests; collect their answers first so nothing is skipped.
  receive_everything();
  std::set<std::string> topics(asked.begin(), asked.end());
  topics.insert(stale_topics_.begin(), stale_topics_.end());
  stale_topics_.clear();
  try {
    const auto& metadata = cluster_.refresh_metadata(std::vector<std::string>(topics.begin(), topics.end()), true);
    reached_cluster_ = true;
    for (const auto& name : asked) {
      auto it = metadata.topics.find(name);
      if (it == metadata.topics.end() || it->second.partitions.empty()) {
        std::int16_t code = it == metadata.topics.end() ? 3 : it->second.error;
        if (code != 0 && !is_retriable(code)) {
          auto error = broker_error(code, std::nullopt);
          accumulator_.publish_topic(name, 0, &error);
        } else {
          accumulator_.publish_topic(name, 0);  // not there yet: callers ask again
        }
        continue;
      }
      accumulator_.publish_topic(name, static_cast<std::int32_t>(it->second.partitions.size()));
    }
  } catch (const ClientError& e) {
    // Before the cluster ever answered there is nothing to wait for (a wrong
    // or unreachable bootstrap server): callers fail at once.
    auto error = network_error(e.what());
    for (const auto& name : asked) accumulator_.publish_topic(name, 0, reached_cluster_ ? nullptr : &error);
    // Topics with batches waiting are looked up again before they are sent.
    for (const auto& name : topics) {
      if (std::find(asked.begin(), asked.end(), name) == asked.end()) stale_topics_.insert(name);
    }
  }
}

std::int32_t Sender::leader_of(const TopicPartition& tp) const {
  const auto& metadata = cluster_.metadata();
  auto it = metadata.topics.find(tp.topic);
  if (it == metadata.topics.end()) return -1;
  for (const auto& p : it->second.partitions) {
    if (p.partition == tp.partition) return metadata.brokers.count(p.leader) ? p.leader : -1;
  }
  return -1;
}

void Sender::route(Batches batches) {
  std::map<std::int32_t, Batches> by_node;
  Batches leaderless;
  for (auto& batch : batches) {
    auto node = leader_of(batch->partition);
    if (node < 0) {
      leaderless.push_back(std::move(batch));
    } else {
      by_node[node].push_back(std::move(batch));
    }
  }
  if (!leaderless.empty()) {
    for (const auto& b : leaderless) stale_topics_.insert(b->partition.topic);
    refresh_metadata({});
    for (auto& batch : leaderless) {
      auto node = leader_of(batch->partition);
      if (node < 0) {
        retry_or_fail(std::move(batch), broker_error(5, std::nullopt));
      } else {
        by_node[node].push_back(std::move(batch));
      }
    }
  }
  for (auto& [node, node_batches] : by_node) send_to(node, std::move(node_batches));
}

void Sender::send_to(std::int32_t node, Batches batches) {
  // Round r holds the r-th batch of every partition: a request carries at
  // most one batch per partition, as Kafka's producer sends them.
  std::vector<Batches> rounds;
  std::map<TopicPartition, std::size_t> seen;
  for (auto& batch : batches) {
    auto round = seen[batch->partition]++;
    if (rounds.size() <= round) rounds.resize(round + 1);
    rounds[round].push_back(std::move(batch));
  }
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    BrokerConnection* connection = nullptr;
    try {
      connection = &cluster_.broker(node);
    } catch (const ClientError& e) {
      for (std::size_t rest = r; rest < rounds.size(); ++rest) {
        for (auto& batch : rounds[rest]) {
          stale_topics_.insert(batch->partition.topic);
          retry_or_fail(std::move(batch), network_error(e.what()));
        }
      }
      return;
    }
    // Split the round into requests within max.request.size.
    Batches request;
    std::int64_t request_bytes = 0;
    for (auto& batch : rounds[r]) {
      if (batch->encoded.empty()) {
        try {
          batch->encoded = batch->builder.build();
        } catch (const std::exception& e) {
          SendError error{-1, "KafkaException", std::string("Could not build the record batch: ") + e.what()};
          finish(std::move(batch), -1, -1, &error);
          continue;
        }
      }
      auto size = static_cast<std::int64_t>(batch->encoded.size());
      if (!request.empty() && request_bytes + size > config_.max_request_size) {
        send_request(node, *connection, std::move(request));
        request.clear();
        request_bytes = 0;
      }
      request_bytes += size;
      request.push_back(std::move(batch));
    }
    if (!request.empty()) send_request(node, *connection, std::move(request));
  }
}

void Sender::send_request(std::int32_t node, BrokerConnection& connection, Batches batches) {
  auto& queue = in_flight_[node];
  while (static_cast<int>(queue.size()) >= config_.max_in_flight) receive_oldest(node);
  if (!connection.is_open()) {
    // The connection failed while answers were read: send on a fresh one.
    try {
      connection.open();
    } catch (const ClientError& e) {
      connection_failed(node, e.what(), std::move(batches));
      return;
    }
  }

  std::int16_t version = 0;
  try {
    version = connection.pick_version(protocol::ProduceRequest::kApiKey, 3, protocol::ProduceRequest::kHighestVersion);
  } catch (const ClientError& e) {
    SendError error{35, "UnsupportedVersionException", e.what()};
    for (auto& batch : batches) finish(std::move(batch), -1, -1, &error);
    return;
  }
  protocol::ProduceRequest request;
  request.acks = config_.acks;
  request.timeout_ms = static_cast<std::int32_t>(config_.request_timeout.count());
  std::map<std::string, std::size_t> topic_index;
  for (auto& batch : batches) {
    auto [it, added] = topic_index.emplace(batch->partition.topic, request.topic_data.size());
    if (added) {
      request.topic_data.emplace_back();
      request.topic_data.back().name = batch->partition.topic;
    }
    protocol::ProduceRequest::PartitionProduceData data;
    data.index = batch->partition.partition;
    data.records = protocol::Records(std::move(batch->encoded));
    request.topic_data[it->second].partition_data.push_back(std::move(data));
  }
  // The encoded batches go back to their owners after the write (retries
  // send them again), in the order they were taken.
  auto give_back = [&] {
    std::map<std::string, std::size_t> next;
    for (auto& batch : batches) {
      auto& topic = request.topic_data[topic_index[batch->partition.topic]];
      auto& data = topic.partition_data[next[batch->partition.topic]++];
      batch->encoded = std::move(*data.records);
    }
  };
  std::int32_t correlation_id = 0;
  try {
    correlation_id = connection.send(request, version);
  } catch (const ClientError& e) {
    give_back();
    connection_failed(node, e.what(), std::move(batches));
    return;
  }
  give_back();
  for (auto& batch : batches) ++batch->attempts;
  if (config_.acks == 0) {
    for (auto& batch : batches) finish(std::move(batch), -1, -1, nullptr);
    return;
  }
  queue.push_back(InFlight{&connection, correlation_id, version, std::move(batches)});
}

void Sender::receive_oldest(std::int32_t node) {
  auto& queue = in_flight_[node];
  if (queue.empty()) return;
  InFlight request = std::move(queue.front());
  queue.pop_front();
  protocol::ProduceResponse response;
  try {
    if (!request.connection->is_open()) throw NetworkError("Connection to node " + std::to_string(node) + " was closed");
    response = request.connection->receive<protocol::ProduceResponse>(request.correlation_id, request.version);
  } catch (const ClientError& e) {
    connection_failed(node, e.what(), std::move(request.batches));
    return;
  }
  handle_response(request, response);
}

void Sender::receive_oldest_anywhere() {
  for (auto& [node, queue] : in_flight_) {
    if (!queue.empty()) {
      receive_oldest(node);
      return;
    }
  }
}

void Sender::receive_everything() {
  while (in_flight_count() > 0) receive_oldest_anywhere();
}

void Sender::handle_response(InFlight& request, const protocol::ProduceResponse& response) {
  for (auto& batch : request.batches) {
    const protocol::ProduceResponse::PartitionProduceResponse* answer = nullptr;
    for (const auto& topic : response.responses) {
      if (topic.name != batch->partition.topic) continue;
      for (const auto& p : topic.partition_responses) {
        if (p.index == batch->partition.partition) answer = &p;
      }
    }
    if (answer == nullptr) {
      retry_or_fail(std::move(batch), SendError{-1, "UnknownServerException",
                                                "The broker's Produce response left out " + batch->partition.to_string()});
      continue;
    }
    if (answer->error_code == 0) {
      finish(std::move(batch), answer->base_offset, answer->log_append_time_ms, nullptr);
      continue;
    }
    auto error = broker_error(answer->error_code, answer->error_message);
    if (needs_metadata(answer->error_code)) stale_topics_.insert(batch->partition.topic);
    if (is_retriable(answer->error_code)) {
      retry_or_fail(std::move(batch), error);
    } else {
      finish(std::move(batch), -1, -1, &error);
    }
  }
}

void Sender::connection_failed(std::int32_t node, const std::string& why, Batches unsent) {
  // Every request in flight on the connection is lost with it; what was
  // sent may have been appended (without idempotence a retry may duplicate).
  auto& queue = in_flight_[node];
  Batches lost;
  for (auto& request : queue) {
    for (auto& batch : request.batches) lost.push_back(std::move(batch));
  }
  queue.clear();
  for (auto& batch : unsent) lost.push_back(std::move(batch));
  for (auto& batch : lost) {
    stale_topics_.insert(batch->partition.topic);
    retry_or_fail(std::move(batch), network_error(why));
  }
}

void Sender::retry_or_fail(std::unique_ptr<ProducerBatch> batch, const SendError& error) {
  const auto now = Clock::now();
  const bool in_time = now + config_.retry_backoff < batch->created + config_.delivery_timeout;
  if (batch->attempts <= config_.retries && in_time) {
    batch->retry_at = now + config_.retry_backoff;
    to_retry_.push_back(std::move(batch));
    return;
  }
  finish(std::move(batch), -1, -1, &error);
}

void Sender::flush_retries() {
  if (!to_retry_.empty()) accumulator_.requeue(std::move(to_retry_));
  to_retry_.clear();
}

void Sender::finish(std::unique_ptr<ProducerBatch> batch, std::int64_t base_offset, std::int64_t log_append_time,
                    const SendError* error) {
  batch->complete(base_offset, log_append_time, error);
  accumulator_.release(*batch);
}

}  // namespace brokkr::client
