// A Kafka consumer over client::Cluster. Two modes, as in Kafka:
//   assign(partitions)  the caller picks partitions and positions
//                       (seek, seek_to_beginning, seek_to_end);
//   subscribe(topics)   a consumer group (group.id) assigns partitions,
//                       through GroupMember (classic or KIP-848 protocol).
// Positions without a seek start from the group's committed offset, else per
// auto.offset.reset. Offsets are committed automatically every
// auto.commit.interval.ms when enable.auto.commit=true (the default with a
// group.id), before partitions are revoked, and on close().
// Single-threaded except wakeup(), which any thread or a signal handler may call.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "client_error.hpp"
#include "cluster.hpp"
#include "consumer/consumer_config.hpp"
#include "consumer/fetcher.hpp"
#include "offsets.hpp"
#include "properties.hpp"
#include "records/record.hpp"
#include "topic_partition.hpp"

namespace brokkr::client {

class GroupMember;

// Kafka's NoOffsetForPartitionException / OffsetOutOfRangeException with
// auto.offset.reset=none.
class NoOffsetForPartitionError : public ClientError {
 public:
  using ClientError::ClientError;
};

class Consumer {
 public:
  using PartitionsListener = std::function<void(const std::vector<TopicPartition>&)>;

  explicit Consumer(const Properties& properties);
  ~Consumer();  // closes (commits when auto-commit is on), errors ignored
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  Cluster& cluster() { return *cluster_; }
  const ConsumerConfig& config() const { return config_; }

  // Manual assignment (replaces the previous one; no group membership).
  void assign(const std::vector<TopicPartition>& partitions);
  // Group subscription to named topics, or to every topic matching a regex
  // (whole-name match, re-checked every metadata.max.age.ms).
  void subscribe(const std::vector<std::string>& topics);
  void subscribe(const std::regex& pattern);
  // Called (inside poll) after partitions are revoked / assigned by the group.
  void on_partitions_revoked(PartitionsListener listener) { on_revoked_ = std::move(listener); }
  void on_partitions_assigned(PartitionsListener listener) { on_assigned_ = std::move(listener); }
  // Receives retriable problems the consumer waits out (an unknown topic, a
  // broker that does not answer), as Kafka's clients log them as WARN.
  void on_warning(std::function<void(const std::string&)> handler) { on_warning_ = std::move(handler); }

  void seek(const TopicPartition& partition, std::int64_t offset);
  void seek_to_beginning(const std::vector<TopicPartition>& partitions);
  void seek_to_end(const std::vector<TopicPartition>& partitions);

  // Records that arrived within `timeout` (at most max.poll.records); empty
  // when none did or wakeup() was called. Throws NoOffsetForPartitionError,
  // KafkaError for fatal partition errors, ClientError for corrupt data.
  std::vector<ConsumerRecord> poll(std::chrono::milliseconds timeout);
  void wakeup() { woken_.store(true); }

  // The partitions owned now (sorted) and the next offset poll() returns for
  // one (resolving it per committed offset / reset policy when unknown).
  std::vector<TopicPartition> assignment() const;
  std::int64_t position(const TopicPartition& partition);
  std::map<TopicPartition, CommittedOffset> committed(const std::vector<TopicPartition>& partitions);

  // Commits the positions of every owned partition, or the given offsets.
  void commit_sync();
  void commit_sync(const std::map<TopicPartition, CommittedOffset>& offsets);

  // Commits (with auto-commit), leaves the group, closes the connections.
  void close();

 private:
  struct PartitionState {
    std::optional<std::int64_t> position;     // next offset handed to the caller
    std::int64_t fetch_offset = 0;            // next offset to fetch (after buffered records)
    std::optional<std::int64_t> reset_to;     // pending seek_to_beginning/end timestamp
    bool try_committed = false;               // look up the group's committed offset first
    std::uint64_t token = 0;                  // changes on every seek: stale fetches are dropped
    bool in_flight = false;
    std::size_t buffered = 0;
  };

  PartitionState& state_of(const TopicPartition& partition, const char* action);
  void set_position(const TopicPartition& partition, PartitionState& state, std::int64_t offset);
  void add_partitions(const std::vector<TopicPartition>& partitions, bool from_group);
  void remove_partitions(const std::vector<TopicPartition>& partitions);
  // Positions for partitions without one: committed offsets, then resets.
  void update_positions();
  void reset_positions(const std::vector<TopicPartition>& partitions, std::int64_t timestamp);
  [[noreturn]] void throw_no_offset(const std::vector<TopicPartition>& partitions) const;

  void refresh_metadata();
  void warn_topic(const std::string& topic, std::int16_t code);
  void send_fetches();
  void handle_fetch_results(std::vector<FetchResult> results);
  std::vector<ConsumerRecord> drain();

  // Group side (consumer_group.cpp).
  void ensure_member();
  void poll_group(std::chrono::milliseconds max_wait);
  void refresh_pattern_subscription(bool force);
  void handle_revoked(const std::vector<TopicPartition>& partitions);
  void handle_assigned(const std::vector<TopicPartition>& partitions);
  void reconcile_assignment();
  void maybe_auto_commit();
  std::map<TopicPartition, CommittedOffset> consumed_offsets() const;
  CommitIdentity commit_identity() const;

  ConsumerConfig config_;
  Properties properties_;
  std::unique_ptr<Cluster> cluster_;
  Fetcher fetcher_;
  std::unique_ptr<GroupMember> member_;
  std::map<TopicPartition, PartitionState> partitions_;
  std::deque<ConsumerRecord> buffer_;
  std::optional<std::vector<std::string>> subscribed_topics_;
  std::optional<std::regex> subscribed_pattern_;
  std::vector<std::string> pattern_topics_;  // what the pattern matched last
  std::chrono::steady_clock::time_point pattern_checked_{};
  std::chrono::steady_clock::time_point next_auto_commit_{};
  bool metadata_stale_ = false;
  bool closed_ = false;
  std::uint64_t next_token_ = 1;
  std::atomic<bool> woken_{false};
  PartitionsListener on_revoked_;
  PartitionsListener on_assigned_;
  std::function<void(const std::string&)> on_warning_;
  std::map<std::string, std::int16_t> warned_topics_;  // warn once per topic and error
};

}  // namespace brokkr::client
