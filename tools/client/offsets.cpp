#include "offsets.hpp"

#include <algorithm>
#include <thread>

#include "client_error.hpp"
#include "error_codes.hpp"
#include "protocol/generated/list_offsets_request.hpp"
#include "protocol/generated/list_offsets_response.hpp"
#include "protocol/generated/offset_commit_request.hpp"
#include "protocol/generated/offset_commit_response.hpp"
#include "protocol/generated/offset_fetch_request.hpp"
#include "protocol/generated/offset_fetch_response.hpp"

namespace brokkr::client {
namespace {

constexpr int kAttempts = 10;
constexpr std::chrono::milliseconds kBackoff{100};

bool is_coordinator_error(std::int16_t code) { return code == 14 || code == 15 || code == 16; }

}  // namespace

std::map<TopicPartition, std::int64_t> list_offsets(Cluster& cluster,
                                                    const std::vector<TopicPartition>& partitions,
                                                    std::int64_t timestamp, std::int8_t isolation_level) {
  std::map<TopicPartition, std::int64_t> out;
  std::vector<TopicPartition> pending = partitions;
  std::sort(pending.begin(), pending.end());  // requests group partitions by topic
  for (int attempt = 0; !pending.empty(); ++attempt) {
    // One request per leader.
    std::map<std::int32_t, std::vector<TopicPartition>> by_leader;
    for (const auto& tp : pending) {
      auto& leader = cluster.leader(tp.topic, tp.partition);
      by_leader[leader.address().node_id].push_back(tp);
    }
    pending.clear();
    for (const auto& [node, tps] : by_leader) {
      protocol::ListOffsetsRequest request;
      request.replica_id = -1;
      request.isolation_level = isolation_level;
      for (const auto& tp : tps) {
        if (request.topics.empty() || request.topics.back().name != tp.topic) {
          request.topics.emplace_back().name = tp.topic;
        }
        auto& p = request.topics.back().partitions.emplace_back();
        p.partition_index = tp.partition;
        p.timestamp = timestamp;
      }
      auto& connection = cluster.broker(node);
      auto response = connection.call<protocol::ListOffsetsResponse>(request);
      for (const auto& t : response.topics) {
        for (const auto& p : t.partitions) {
          TopicPartition tp{t.name, p.partition_index};
          if (p.error_code != 0 && is_retriable(p.error_code) && attempt + 1 < kAttempts) {
            pending.push_back(tp);
            continue;
          }
          throw_if_error(p.error_code, "ListOffsets for " + tp.to_string());
          out[tp] = p.offset;
        }
      }
    }
    if (!pending.empty()) {
      std::this_thread::sleep_for(kBackoff);
      cluster.refresh_metadata(std::nullopt);
    }
  }
  return out;
}

void with_coordinator(Cluster& cluster, const std::string& group,
                      const std::function<std::int16_t(BrokerConnection&)>& call) {
  const auto deadline = std::chrono::steady_clock::now() + cluster.request_timeout();
  for (;;) {
    std::int16_t code = 0;
    try {
      code = call(cluster.coordinator(group));
    } catch (const NetworkError&) {
      if (std::chrono::steady_clock::now() >= deadline) throw;
      code = 15;
    } catch (const KafkaError& e) {
      // FindCoordinator itself can answer COORDINATOR_NOT_AVAILABLE while loading.
      if (!is_coordinator_error(e.code()) || std::chrono::steady_clock::now() >= deadline) throw;
      code = e.code();
    }
    if (!is_coordinator_error(code)) {
      throw_if_error(code, "group " + group);
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) throw_if_error(code, "group " + group);
    cluster.forget_coordinator(group);
    std::this_thread::sleep_for(kBackoff);
  }
}

std::map<TopicPartition, CommittedOffset> fetch_committed_offsets(
    Cluster& cluster, const std::string& group, const std::optional<std::vector<TopicPartition>>& partitions) {
  std::map<TopicPartition, CommittedOffset> out;
  auto add = [&](const std::string& topic, const auto& p) -> std::int16_t {
    if (p.error_code != 0) return p.error_code;
    if (p.committed_offset >= 0) {
      out[TopicPartition{topic, p.partition_index}] =
          CommittedOffset{p.committed_offset, p.committed_leader_epoch, p.metadata.value_or("")};
    }
    return 0;
  };
  with_coordinator(cluster, group, [&](BrokerConnection& connection) -> std::int16_t {
    out.clear();
    const auto version = connection.version_for<protocol::OffsetFetchRequest>();
    protocol::OffsetFetchRequest request;
    // The requested partitions, grouped by topic; null = all of the group's.
    auto topics_of = [&](auto& list) {
      auto sorted = *partitions;
      std::sort(sorted.begin(), sorted.end());
      for (const auto& tp : sorted) {
        if (list.empty() || list.back().name != tp.topic) list.emplace_back().name = tp.topic;
        list.back().partition_indexes.push_back(tp.partition);
      }
    };
    if (version >= 8) {
      auto& g = request.groups.emplace_back();
      g.group_id = group;
      if (partitions) topics_of(*g.topics); else g.topics.reset();
      auto response = connection.call<protocol::OffsetFetchResponse>(request, version);
      if (response.groups.size() != 1) throw ClientError("OffsetFetch answered " + std::to_string(response.groups.size()) + " groups for one");
      const auto& answer = response.groups.front();
      if (answer.error_code != 0) return answer.error_code;
      for (const auto& t : answer.topics) {
        for (const auto& p : t.partitions) {
          if (auto code = add(t.name, p)) return code;
        }
      }
      return 0;
    }
    request.group_id = group;
    if (partitions) topics_of(*request.topics); else request.topics.reset();
    auto response = connection.call<protocol::OffsetFetchResponse>(request, version);
    if (response.error_code != 0) return response.error_code;
    for (const auto& t : response.topics) {
      for (const auto& p : t.partitions) {
        if (auto code = add(t.name, p)) return code;
      }
    }
    return 0;
  });
  return out;
}

void commit_offsets(Cluster& cluster, const std::string& group,
                    const std::map<TopicPartition, CommittedOffset>& offsets, const CommitIdentity& identity) {
  protocol::OffsetCommitRequest request;
  request.group_id = group;
  request.generation_id_or_member_epoch = identity.generation_or_member_epoch;
  request.member_id = identity.member_id;
  request.group_instance_id = identity.instance_id;
  for (const auto& [tp, committed] : offsets) {
    if (request.topics.empty() || request.topics.back().name != tp.topic) {
      request.topics.emplace_back().name = tp.topic;
    }
    auto& p = request.topics.back().partitions.emplace_back();
    p.partition_index = tp.partition;
    p.committed_offset = committed.offset;
    p.committed_leader_epoch = committed.leader_epoch;
    p.committed_metadata = committed.metadata;
  }
  with_coordinator(cluster, group, [&](BrokerConnection& connection) -> std::int16_t {
    auto response = connection.call<protocol::OffsetCommitResponse>(request);
    for (const auto& t : response.topics) {
      for (const auto& p : t.partitions) {
        if (is_coordinator_error(p.error_code)) return p.error_code;
        throw_if_error(p.error_code, "commit of " + t.name + "-" + std::to_string(p.partition_index) +
                                         " for group " + group);
      }
    }
    return 0;
  });
}

}  // namespace brokkr::client
