#include "consumer/fetcher.hpp"

#include <algorithm>
#include <array>

#include "client_error.hpp"
#include "consumer/aborted_transactions.hpp"
#include "protocol/generated/fetch_request.hpp"
#include "protocol/generated/fetch_response.hpp"
#include "records/record_batch_reader.hpp"

namespace brokkr::client {
namespace {

constexpr std::int16_t kLastVersionWithTopicNames = 12;

}  // namespace

Fetcher::Fetcher(Cluster& cluster, const ConsumerConfig& config) : cluster_(cluster), config_(config) {}

Fetcher::~Fetcher() { close(); }

void Fetcher::close() {
  in_flight_.clear();
  connections_.clear();
}

BrokerConnection& Fetcher::connection(std::int32_t node) {
  auto& slot = connections_[node];
  if (!slot || !slot->is_open()) {
    auto it = cluster_.metadata().brokers.find(node);
    if (it == cluster_.metadata().brokers.end()) {
      throw NetworkError("Node " + std::to_string(node) + " is not in the cluster metadata");
    }
    slot = std::make_unique<BrokerConnection>(it->second, cluster_.client_id(), cluster_.request_timeout());
    slot->open();
  }
  return *slot;
}

void Fetcher::send(std::int32_t node, const std::vector<FetchTarget>& targets) {
  InFlight request_info{node, 0, 0, targets};
  try {
    auto& conn = connection(node);
    // Topic ids (v13+) only when metadata gave an id for every topic.
    bool ids_known = true;
    for (const auto& t : targets) {
      const auto* topic = cluster_.topic(t.partition.topic);
      if (topic == nullptr || topic->id == protocol::Uuid{}) ids_known = false;
    }
    request_info.version = conn.pick_version(
        protocol::FetchRequest::kApiKey, protocol::FetchRequest::kLowestVersion,
        ids_known ? protocol::FetchRequest::kHighestVersion : kLastVersionWithTopicNames);

    protocol::FetchRequest request;
    request.replica_id = -1;
    request.max_wait_ms = config_.fetch_max_wait_ms;
    request.min_bytes = config_.fetch_min_bytes;
    request.max_bytes = config_.fetch_max_bytes;
    request.isolation_level = config_.isolation_level;
    request.session_id = 0;
    request.session_epoch = -1;  // a full fetch, no session
    request.rack_id = config_.client_rack;
    for (const auto& t : targets) {
      if (request.topics.empty() || request.topics.back().topic != t.partition.topic) {
        auto& topic = request.topics.emplace_back();
        topic.topic = t.partition.topic;
        if (ids_known) topic.topic_id = cluster_.topic(t.partition.topic)->id;
      }
      auto& p = request.topics.back().partitions.emplace_back();
      p.partition = t.partition.partition;
      p.current_leader_epoch = -1;  // no epoch fencing
      p.fetch_offset = t.offset;
      p.partition_max_bytes = config_.max_partition_fetch_bytes;
    }
    request_info.correlation_id = conn.send(request, request_info.version);
    in_flight_.push_back(std::move(request_info));
  } catch (const NetworkError&) {
    connections_.erase(node);
    // Reported on the next collect() as a network error for each partition.
    request_info.correlation_id = -1;
    in_flight_.push_back(std::move(request_info));
  }
}

std::vector<FetchResult> Fetcher::collect() {
  std::vector<FetchResult> out;
  auto pending = std::move(in_flight_);
  in_flight_.clear();
  for (const auto& request : pending) {
    if (request.correlation_id < 0) {
      fail_all(request, out);
      continue;
    }
    try {
      receive(request, out);
    } catch (const NetworkError&) {
      connections_.erase(request.node);
      fail_all(request, out);
    }
  }
  return out;
}

void Fetcher::fail_all(const InFlight& request, std::vector<FetchResult>& out) {
  for (const auto& t : request.targets) {
    FetchResult result;
    result.partition = t.partition;
    result.token = t.token;
    result.fetch_offset = t.offset;
    result.error = kFetchNetworkError;
    out.push_back(std::move(result));
  }
}

void Fetcher::receive(const InFlight& request, std::vector<FetchResult>& out) {
  auto& conn = connection(request.node);
  auto response = conn.receive<protocol::FetchResponse>(
      request.correlation_id, request.version, std::chrono::milliseconds(config_.fetch_max_wait_ms));
  // What was asked, by (topic, partition), to find offsets and tokens again.
  std::map<TopicPartition, const FetchTarget*> asked;
  std::map<std::array<std::uint8_t, 16>, std::string> names_by_id;
  for (const auto& t : request.targets) {
    asked[t.partition] = &t;
    if (const auto* topic = cluster_.topic(t.partition.topic)) names_by_id[topic->id.bytes] = topic->name;
  }
  if (response.error_code != 0 && response.responses.empty()) {
    // A request-level error (e.g. a session error): every partition gets it.
    for (const auto& t : request.targets) {
      FetchResult result;
      result.partition = t.partition;
      result.token = t.token;
      result.fetch_offset = t.offset;
      result.error = response.error_code;
      out.push_back(std::move(result));
    }
    return;
  }
  for (const auto& topic : response.responses) {
    std::string name = topic.topic;
    if (request.version > kLastVersionWithTopicNames) {
      auto it = names_by_id.find(topic.topic_id.bytes);
      if (it == names_by_id.end()) continue;
      name = it->second;
    }
    for (const auto& p : topic.partitions) {
      TopicPartition tp{name, p.partition_index};
      auto it = asked.find(tp);
      if (it == asked.end()) continue;
      FetchResult result;
      result.partition = tp;
      result.token = it->second->token;
      result.fetch_offset = it->second->offset;
      result.error = p.error_code;
      result.high_watermark = p.high_watermark;
      if (p.error_code == 0 && p.records.has_value() && p.records.bytes()) {
        const auto& bytes = *p.records.bytes();
        DecodedRecords decoded;
        const bool filter = config_.isolation_level == 1 && p.aborted_transactions &&
                            !p.aborted_transactions->empty();
        if (filter) {
          std::vector<AbortedRange> aborted;
          for (const auto& a : *p.aborted_transactions) aborted.push_back({a.producer_id, a.first_offset});
          auto kept = drop_aborted_batches(bytes, std::move(aborted));
          decoded = decode_record_batches(kept.bytes, tp.topic, tp.partition, result.fetch_offset);
          // The next fetch starts after every batch, dropped ones included.
          decoded.next_offset = kept.next_offset;
        } else {
          decoded = decode_record_batches(bytes, tp.topic, tp.partition, result.fetch_offset);
        }
        result.records = std::move(decoded.records);
        result.next_offset = decoded.next_offset;
      }
      out.push_back(std::move(result));
    }
  }
}

}  // namespace brokkr::client
