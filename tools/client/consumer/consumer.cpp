#include "consumer/consumer.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "client_error.hpp"
#include "error_codes.hpp"
#include "group/group_member.hpp"

namespace brokkr::client {
namespace {

constexpr std::chrono::milliseconds kRetryBackoff{100};

// Errors after which the partition's leader is looked up again.
bool needs_metadata(std::int16_t code) {
  switch (code) {
    case kFetchNetworkError:
    case 3:    // UNKNOWN_TOPIC_OR_PARTITION
    case 5:    // LEADER_NOT_AVAILABLE
    case 6:    // NOT_LEADER_OR_FOLLOWER
    case 74:   // FENCED_LEADER_EPOCH
    case 75:   // UNKNOWN_LEADER_EPOCH
    case 100:  // UNKNOWN_TOPIC_ID
    case 106:  // INCONSISTENT_TOPIC_ID
      return true;
    default:
      return false;
  }
}

// Kafka's Errors enum names, as its clients print metadata problems.
std::string error_name(std::int16_t code) {
  switch (code) {
    case 3: return "UNKNOWN_TOPIC_OR_PARTITION";
    case 5: return "LEADER_NOT_AVAILABLE";
    case 17: return "INVALID_TOPIC_EXCEPTION";
    case 29: return "TOPIC_AUTHORIZATION_FAILED";
    default: return describe_error(code).exception;
  }
}

}  // namespace

Consumer::Consumer(const Properties& properties)
    : config_(ConsumerConfig::from(properties)),
      properties_(properties),
      cluster_(std::make_unique<Cluster>(properties)),
      fetcher_(*cluster_, config_) {}

Consumer::~Consumer() {
  try {
    close();
  } catch (const std::exception&) {
    // Destructors do not throw; close() explicitly to see errors.
  }
}

Consumer::PartitionState& Consumer::state_of(const TopicPartition& partition, const char* action) {
  auto it = partitions_.find(partition);
  if (it == partitions_.end()) {
    throw ClientError(std::string("No current assignment for partition ") + partition.to_string() +
                      " (" + action + ")");
  }
  return it->second;
}

void Consumer::set_position(const TopicPartition& partition, PartitionState& state, std::int64_t offset) {
  state.position = offset;
  state.fetch_offset = offset;
  state.reset_to.reset();
  state.try_committed = false;
  state.token = next_token_++;
  if (state.buffered != 0) {
    std::erase_if(buffer_, [&](const ConsumerRecord& r) {
      return r.partition == partition.partition && r.topic == partition.topic;
    });
    state.buffered = 0;
  }
}

void Consumer::add_partitions(const std::vector<TopicPartition>& partitions, bool from_group) {
  for (const auto& tp : partitions) {
    auto [it, added] = partitions_.try_emplace(tp);
    if (added) it->second.try_committed = config_.group_id.has_value() || from_group;
  }
}

void Consumer::remove_partitions(const std::vector<TopicPartition>& partitions) {
  for (const auto& tp : partitions) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) continue;
    if (it->second.buffered != 0) {
      std::erase_if(buffer_, [&](const ConsumerRecord& r) {
        return r.partition == tp.partition && r.topic == tp.topic;
      });
    }
    partitions_.erase(it);
  }
}

void Consumer::assign(const std::vector<TopicPartition>& partitions) {
  if (subscribed_topics_ || subscribed_pattern_) {
    throw ClientError("Subscription to topics, partitions and pattern are mutually exclusive");
  }
  std::vector<TopicPartition> gone;
  std::set<TopicPartition> wanted(partitions.begin(), partitions.end());
  for (const auto& [tp, state] : partitions_) {
    if (wanted.count(tp) == 0) gone.push_back(tp);
  }
  remove_partitions(gone);
  add_partitions(partitions, false);
  next_auto_commit_ = std::chrono::steady_clock::now() + config_.auto_commit_interval;
  refresh_metadata();
}

void Consumer::seek(const TopicPartition& partition, std::int64_t offset) {
  if (offset < 0) throw ClientError("seek offset must not be a negative number");
  set_position(partition, state_of(partition, "seek"), offset);
}

void Consumer::seek_to_beginning(const std::vector<TopicPartition>& partitions) {
  for (const auto& tp : partitions) {
    auto& state = state_of(tp, "seekToBeginning");
    state.position.reset();
    state.try_committed = false;
    state.reset_to = kEarliestTimestamp;
  }
}

void Consumer::seek_to_end(const std::vector<TopicPartition>& partitions) {
  for (const auto& tp : partitions) {
    auto& state = state_of(tp, "seekToEnd");
    state.position.reset();
    state.try_committed = false;
    state.reset_to = kLatestTimestamp;
  }
}

std::vector<TopicPartition> Consumer::assignment() const {
  std::vector<TopicPartition> out;
  for (const auto& [tp, state] : partitions_) out.push_back(tp);
  return out;
}

std::int64_t Consumer::position(const TopicPartition& partition) {
  state_of(partition, "position");
  update_positions();
  return *state_of(partition, "position").position;
}

void Consumer::warn_topic(const std::string& topic, std::int16_t code) {
  auto [it, added] = warned_topics_.try_emplace(topic, code);
  if (!added && it->second == code) return;
  it->second = code;
  if (on_warning_) {
    on_warning_("Error while fetching metadata: {" + topic + "=" + error_name(code) + "}");
  }
}

void Consumer::refresh_metadata() {
  std::set<std::string> topics;
  for (const auto& [tp, state] : partitions_) topics.insert(tp.topic);
  if (subscribed_topics_) topics.insert(subscribed_topics_->begin(), subscribed_topics_->end());
  if (topics.empty()) return;
  try {
    const auto& metadata = cluster_->refresh_metadata(std::vector<std::string>(topics.begin(), topics.end()),
                                                      config_.allow_auto_create_topics);
    for (const auto& name : topics) {
      auto it = metadata.topics.find(name);
      std::int16_t code = it == metadata.topics.end() ? 3 : it->second.error;
      if (code != 0) {
        warn_topic(name, code);
        metadata_stale_ = true;
      } else {
        warned_topics_.erase(name);
      }
    }
  } catch (const NetworkError& e) {
    metadata_stale_ = true;
    if (on_warning_) on_warning_(e.what());
  }
}

void Consumer::send_fetches() {
  std::map<std::int32_t, std::vector<FetchTarget>> by_node;
  for (auto& [tp, state] : partitions_) {
    if (!state.position || state.in_flight || state.reset_to || state.try_committed) continue;
    const auto& topics = cluster_->metadata().topics;
    auto topic = topics.find(tp.topic);
    std::int32_t leader = -1;
    if (topic != topics.end()) {
      for (const auto& p : topic->second.partitions) {
        if (p.partition == tp.partition) leader = p.leader;
      }
    }
    if (leader < 0) {
      metadata_stale_ = true;
      continue;
    }
    by_node[leader].push_back(FetchTarget{tp, state.fetch_offset, state.token});
    state.in_flight = true;
  }
  for (const auto& [node, targets] : by_node) fetcher_.send(node, targets);
}

void Consumer::handle_fetch_results(std::vector<FetchResult> results) {
  std::vector<TopicPartition> out_of_range;
  for (auto& r : results) {
    auto it = partitions_.find(r.partition);
    if (it == partitions_.end()) continue;
    auto& state = it->second;
    state.in_flight = false;
    // A seek (or reassignment) since the fetch was sent makes it stale.
    if (state.token != r.token || state.fetch_offset != r.fetch_offset || !state.position) continue;
    if (needs_metadata(r.error)) {
      metadata_stale_ = true;
      continue;
    }
    if (r.error == 1) {  // OFFSET_OUT_OF_RANGE
      out_of_range.push_back(r.partition);
      continue;
    }
    throw_if_error(r.error, "fetch of " + r.partition.to_string());
    std::int64_t next = r.next_offset;
    if (!r.records.empty()) next = std::max(next, r.records.back().offset + 1);
    if (next > state.fetch_offset) state.fetch_offset = next;
    state.buffered += r.records.size();
    for (auto& record : r.records) buffer_.push_back(std::move(record));
    if (state.buffered == 0) state.position = state.fetch_offset;  // skipped batches only
  }
  if (!out_of_range.empty()) {
    if (config_.auto_offset_reset == OffsetResetPolicy::none) {
      std::string list;
      for (const auto& tp : out_of_range) {
        list += (list.empty() ? "" : ", ") + tp.to_string() + "=" + std::to_string(*partitions_[tp].position);
      }
      throw NoOffsetForPartitionError("Offsets out of range with no configured reset policy for partitions: {" +
                                      list + "}");
    }
    for (const auto& tp : out_of_range) {
      auto& state = partitions_[tp];
      state.position.reset();
      state.try_committed = false;
    }
  }
}

std::vector<ConsumerRecord> Consumer::drain() {
  std::vector<ConsumerRecord> out;
  const auto n = std::min<std::size_t>(buffer_.size(), static_cast<std::size_t>(config_.max_poll_records));
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& record = buffer_.front();
    auto& state = partitions_[TopicPartition{record.topic, record.partition}];
    state.position = record.offset + 1;
    if (--state.buffered == 0) state.position = state.fetch_offset;
    out.push_back(std::move(record));
    buffer_.pop_front();
  }
  return out;
}

std::vector<ConsumerRecord> Consumer::poll(std::chrono::milliseconds timeout) {
  if (closed_) throw ClientError("This consumer has already been closed.");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (woken_.exchange(false)) return {};
    if (member_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      // Without partitions there is nothing else to wait for.
      poll_group(partitions_.empty() ? std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(500))
                                     : std::chrono::milliseconds(0));
      maybe_auto_commit();
    }
    if (metadata_stale_) {
      metadata_stale_ = false;
      fetcher_.close();
      refresh_metadata();
    }
    update_positions();
    if (buffer_.empty()) {
      send_fetches();
      if (fetcher_.in_flight()) handle_fetch_results(fetcher_.collect());
    }
    if (!buffer_.empty()) {
      auto records = drain();
      send_fetches();  // the next fetch runs while the caller handles these
      return records;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return {};
    if (!fetcher_.in_flight() && (metadata_stale_ || (partitions_.empty() && !member_))) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kRetryBackoff, deadline - now));
    }
  }
}

void Consumer::close() {
  if (closed_) return;
  closed_ = true;
  std::exception_ptr failure;
  if (member_) {
    try {
      if (config_.enable_auto_commit) commit_sync();
    } catch (...) {
      failure = std::current_exception();
    }
    try {
      member_->close();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  } else if (config_.enable_auto_commit && config_.group_id && !partitions_.empty()) {
    try {
      commit_sync();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  fetcher_.close();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace brokkr::client
