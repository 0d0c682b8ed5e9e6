// Where partitions without a position start: the group's committed offset,
// a pending seek_to_beginning/end, or auto.offset.reset.
#include <algorithm>

#include "client_error.hpp"
#include "consumer/consumer.hpp"
#include "error_codes.hpp"

namespace brokkr::client {

void Consumer::throw_no_offset(const std::vector<TopicPartition>& partitions) const {
  std::string list;
  for (const auto& tp : partitions) list += (list.empty() ? "" : ", ") + tp.to_string();
  // Kafka's NoOffsetForPartitionException message.
  throw NoOffsetForPartitionError("Undefined offset with no reset policy for partitions: [" + list + "]");
}

void Consumer::reset_positions(const std::vector<TopicPartition>& partitions, std::int64_t timestamp) {
  if (partitions.empty()) return;
  std::map<TopicPartition, std::int64_t> offsets;
  try {
    offsets = list_offsets(*cluster_, partitions, timestamp, config_.isolation_level);
  } catch (const KafkaError& e) {
    // An unknown topic or a missing leader: wait for metadata, as Kafka does.
    if (!is_retriable(e.code())) throw;
    for (const auto& tp : partitions) warn_topic(tp.topic, e.code());
    metadata_stale_ = true;
    return;
  } catch (const NetworkError& e) {
    if (on_warning_) on_warning_(e.what());
    metadata_stale_ = true;
    return;
  }
  for (const auto& [tp, offset] : offsets) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) continue;
    set_position(tp, it->second, offset);
  }
}

void Consumer::update_positions() {
  std::vector<TopicPartition> need_committed;
  for (const auto& [tp, state] : partitions_) {
    if (!state.position && !state.reset_to && state.try_committed) need_committed.push_back(tp);
  }
  if (!need_committed.empty() && config_.group_id) {
    auto committed_offsets = fetch_committed_offsets(*cluster_, *config_.group_id, need_committed);
    for (const auto& tp : need_committed) {
      auto& state = partitions_[tp];
      state.try_committed = false;
      if (auto it = committed_offsets.find(tp); it != committed_offsets.end()) {
        set_position(tp, state, it->second.offset);
      }
    }
  }
  std::vector<TopicPartition> earliest, latest, undefined;
  for (auto& [tp, state] : partitions_) {
    if (state.position) continue;
    state.try_committed = false;
    std::int64_t timestamp = 0;
    if (state.reset_to) {
      timestamp = *state.reset_to;
    } else if (config_.auto_offset_reset == OffsetResetPolicy::none) {
      undefined.push_back(tp);
      continue;
    } else {
      timestamp = config_.auto_offset_reset == OffsetResetPolicy::earliest ? kEarliestTimestamp : kLatestTimestamp;
    }
    (timestamp == kEarliestTimestamp ? earliest : latest).push_back(tp);
  }
  if (!undefined.empty()) throw_no_offset(undefined);
  reset_positions(earliest, kEarliestTimestamp);
  reset_positions(latest, kLatestTimestamp);
}

std::map<TopicPartition, CommittedOffset> Consumer::committed(const std::vector<TopicPartition>& partitions) {
  if (!config_.group_id) {
    throw ClientError("To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.");
  }
  return fetch_committed_offsets(*cluster_, *config_.group_id, partitions);
}

}  // namespace brokkr::client
