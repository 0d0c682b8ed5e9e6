#include "reset_plan.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "client/client_error.hpp"
#include "client/offsets.hpp"
#include "commands.hpp"
#include "time_arguments.hpp"

namespace brokkr::cli::groups {
namespace {

using client::TopicPartition;

std::map<TopicPartition, std::int64_t> committed_offsets(client::Cluster& cluster, const std::string& group) {
  std::map<TopicPartition, std::int64_t> out;
  for (const auto& [tp, c] : client::fetch_committed_offsets(cluster, group, std::nullopt)) out[tp] = c.offset;
  return out;
}

// Kafka's checkOffsetsRange: above the log end -> log end, below the log
// start -> log start, each with a warning.
OffsetPlan clamp(client::Cluster& cluster, const OffsetPlan& requested) {
  std::vector<TopicPartition> partitions;
  for (const auto& [tp, offset] : requested) partitions.push_back(tp);
  auto starts = client::list_offsets(cluster, partitions, client::kEarliestTimestamp);
  auto ends = client::list_offsets(cluster, partitions, client::kLatestTimestamp);
  OffsetPlan out;
  for (const auto& [tp, offset] : requested) {
    std::int64_t end = ends.at(tp), start = starts.at(tp);
    if (offset > end) {
      std::cerr << "WARN New offset (" << offset << ") is higher than latest offset for topic partition "
                << tp.to_string() << ". Value will be set to " << end << "\n";
      out[tp] = end;
    } else if (offset < start) {
      std::cerr << "WARN New offset (" << offset << ") is lower than earliest offset for topic partition "
                << tp.to_string() << ". Value will be set to " << start << "\n";
      out[tp] = start;
    } else {
      out[tp] = offset;
    }
  }
  return out;
}

// Offsets for a timestamp; empty partitions (no record at or after it) fall
// back to their log end, with Kafka's warning.
OffsetPlan offsets_for_time(client::Cluster& cluster, const std::vector<TopicPartition>& partitions,
                            std::int64_t timestamp) {
  OffsetPlan out = client::list_offsets(cluster, partitions, timestamp);
  std::vector<TopicPartition> fallback;
  for (const auto& [tp, offset] : out) {
    if (offset < 0) {
      std::cerr << "\nWarn: Partition " << tp.partition << " from topic " << tp.topic
                << " is empty. Falling back to latest known offset.\n";
      fallback.push_back(tp);
    }
  }
  if (!fallback.empty()) {
    for (const auto& [tp, offset] : client::list_offsets(cluster, fallback, client::kLatestTimestamp)) out[tp] = offset;
  }
  return out;
}

OffsetPlan for_all(const std::vector<TopicPartition>& partitions, std::int64_t offset) {
  OffsetPlan out;
  for (const auto& tp : partitions) out[tp] = offset;
  return out;
}

std::int64_t parse_long(const std::string& text, const std::string& what) {
  std::size_t used = 0;
  try {
    auto value = std::stoll(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw client::ClientError("Cannot parse " + what + " '" + text + "' in the reset file");
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  return fields;
}

}  // namespace

std::vector<TopicPartition> partitions_to_reset(const CommandLine& command_line, client::Cluster& cluster,
                                                const std::string& group) {
  if (command_line.has("all-topics")) {
    std::vector<TopicPartition> out;
    for (const auto& [tp, offset] : committed_offsets(cluster, group)) out.push_back(tp);
    return out;
  }
  if (command_line.has("topic")) return topic_arguments(command_line.values("topic"), cluster);
  if (!command_line.has("from-file")) throw UsageError("One of the reset scopes should be defined: --all-topics, --topic.");
  return {};
}

OffsetPlan plan_reset(const CommandLine& command_line, client::Cluster& cluster, const std::string& group,
                      const std::vector<TopicPartition>& partitions) {
  if (command_line.has("to-offset")) {
    return clamp(cluster, for_all(partitions, command_line.int_value("to-offset", 0)));
  }
  if (command_line.has("to-earliest")) return client::list_offsets(cluster, partitions, client::kEarliestTimestamp);
  if (command_line.has("to-latest")) return client::list_offsets(cluster, partitions, client::kLatestTimestamp);
  if (command_line.has("shift-by")) {
    const auto shift = command_line.int_value("shift-by", 0);
    auto committed = committed_offsets(cluster, group);
    OffsetPlan requested;
    for (const auto& tp : partitions) {
      auto it = committed.find(tp);
      if (it == committed.end()) {
        throw UsageError("Cannot shift offset for partition " + tp.to_string() +
                         " since there is no current committed offset");
      }
      requested[tp] = it->second + shift;
    }
    return clamp(cluster, requested);
  }
  if (command_line.has("to-datetime")) {
    return offsets_for_time(cluster, partitions, parse_datetime(*command_line.value("to-datetime")));
  }
  if (command_line.has("by-duration")) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
    return offsets_for_time(cluster, partitions, now - parse_duration_ms(*command_line.value("by-duration")));
  }
  if (command_line.has("from-file")) {
    auto plans = read_reset_file(*command_line.value("from-file"), command_line.values("group").size() == 1, group);
    auto it = plans.find(group);
    if (it == plans.end()) {
      std::cerr << "Error: No reset plan for group " << group << " found\n";
      return {};
    }
    return clamp(cluster, it->second);
  }
  if (command_line.has("to-current")) {
    auto committed = committed_offsets(cluster, group);
    OffsetPlan out;
    std::vector<TopicPartition> without_commit;
    for (const auto& tp : partitions) {
      if (auto it = committed.find(tp); it != committed.end()) out[tp] = it->second;
      else without_commit.push_back(tp);
    }
    if (!without_commit.empty()) out.merge(client::list_offsets(cluster, without_commit, client::kLatestTimestamp));
    return out;
  }
  throw UsageError(
      "Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [shift-by], [to-datetime], "
      "[by-duration], [to-earliest], [to-latest], [to-current], [from-file]]");
}

std::map<std::string, OffsetPlan> read_reset_file(const std::string& path, bool single_group, const std::string& group) {
  std::ifstream in(path);
  if (!in) throw client::ClientError("java.nio.file.NoSuchFileException: " + path);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) rows.push_back(split_csv(line));
  }
  std::map<std::string, OffsetPlan> out;
  // One group and "topic,partition,offset" rows: the old format, for that group.
  const bool old_format = single_group && !rows.empty() && rows.front().size() == 3;
  for (const auto& row : rows) {
    if (row.size() != (old_format ? 3u : 4u)) throw client::ClientError("Malformed line in the reset file " + path);
    std::size_t i = old_format ? 0 : 1;
    TopicPartition tp{row[i], static_cast<std::int32_t>(parse_long(row[i + 1], "partition"))};
    out[old_format ? group : row[0]][tp] = parse_long(row[i + 2], "offset");
  }
  return out;
}

}  // namespace brokkr::cli::groups
