// --describe [--offsets]: one row per partition the group owns or has
// committed, with Kafka's columns and width rules (ConsumerGroupCommand's
// printOffsets): GROUP, TOPIC, CONSUMER-ID and HOST as wide as their widest
// value (at least 15), PARTITION 10, the offsets and LAG 15, CLIENT-ID last.
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include "client/client_error.hpp"
#include "client/offsets.hpp"
#include "describe_views.hpp"
#include "table.hpp"

namespace brokkr::cli::groups {
namespace {

constexpr const char* kMissing = "-";

struct OffsetRow {
  client::TopicPartition partition;
  std::optional<std::int64_t> current;
  std::optional<std::int64_t> log_end;
  std::string consumer_id, host, client_id;
};

std::string text(const std::optional<std::int64_t>& value) { return value ? std::to_string(*value) : kMissing; }

// Log-end offsets; a partition whose leader cannot answer is left out ("-").
std::map<client::TopicPartition, std::int64_t> log_end_offsets(client::Cluster& cluster,
                                                              const std::vector<client::TopicPartition>& partitions) {
  try {
    return client::list_offsets(cluster, partitions, client::kLatestTimestamp);
  } catch (const client::KafkaError&) {
    std::map<client::TopicPartition, std::int64_t> out;
    for (const auto& tp : partitions) {
      try {
        out.merge(client::list_offsets(cluster, {tp}, client::kLatestTimestamp));
      } catch (const client::KafkaError&) {
      }
    }
    return out;
  }
}

std::vector<OffsetRow> collect_rows(client::Cluster& cluster, const GroupDescription& group) {
  std::vector<OffsetRow> rows;
  if (group.state == "Dead") return rows;
  auto committed = client::fetch_committed_offsets(cluster, group.group_id, std::nullopt);
  // Members owning most partitions first, as Kafka orders them.
  std::vector<const MemberDescription*> owners;
  for (const auto& m : group.members) {
    if (!m.assignment.empty()) owners.push_back(&m);
  }
  std::stable_sort(owners.begin(), owners.end(),
                   [](auto* a, auto* b) { return a->assignment.size() > b->assignment.size(); });
  std::set<client::TopicPartition> owned;
  for (const auto* m : owners) {
    for (const auto& tp : m->assignment) {
      owned.insert(tp);
      rows.push_back({tp, std::nullopt, std::nullopt, m->member_id, m->host, m->client_id});
    }
  }
  for (const auto& [tp, offset] : committed) {
    if (!owned.count(tp)) rows.push_back({tp, std::nullopt, std::nullopt, kMissing, kMissing, kMissing});
  }
  std::vector<client::TopicPartition> partitions;
  for (const auto& row : rows) partitions.push_back(row.partition);
  auto ends = log_end_offsets(cluster, partitions);
  for (auto& row : rows) {
    if (auto it = committed.find(row.partition); it != committed.end() && it->second.offset >= 0) {
      row.current = it->second.offset;
    }
    if (auto it = ends.find(row.partition); it != ends.end() && it->second >= 0) row.log_end = it->second;
  }
  return rows;
}

void print_rows(const std::string& group, const std::vector<OffsetRow>& rows) {
  std::size_t group_width = std::max<std::size_t>(15, group.size()), topic_width = 15, consumer_width = 15,
              host_width = 15;
  for (const auto& row : rows) {
    topic_width = std::max(topic_width, row.partition.topic.size());
    consumer_width = std::max(consumer_width, row.consumer_id.size());
    host_width = std::max(host_width, row.host.size());
  }
  auto line = [&](const std::string& g, const std::string& topic, const std::string& partition,
                  const std::string& current, const std::string& end, const std::string& lag,
                  const std::string& consumer, const std::string& host, const std::string& client) {
    std::cout << pad(g, group_width) << ' ' << pad(topic, topic_width) << ' ' << pad(partition, 10) << ' '
              << pad(current, 15) << ' ' << pad(end, 15) << ' ' << pad(lag, 15) << ' '
              << pad(consumer, consumer_width) << ' ' << pad(host, host_width) << ' ' << client << '\n';
  };
  std::cout << '\n';
  line("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
  for (const auto& row : rows) {
    std::optional<std::int64_t> lag;
    if (row.current && row.log_end) lag = *row.log_end - *row.current;
    line(group, row.partition.topic, std::to_string(row.partition.partition), text(row.current), text(row.log_end),
         text(lag), row.consumer_id, row.host, row.client_id);
  }
}

}  // namespace

void describe_offsets(client::Cluster& cluster, const GroupDescription& group, bool& failed) {
  auto rows = collect_rows(cluster, group);
  if (report_group_state(group, rows.size(), failed)) print_rows(group.group_id, rows);
}

}  // namespace brokkr::cli::groups
