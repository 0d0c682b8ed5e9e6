// The producer's shared state between the threads that call send() and the
// sender thread: per-partition queues of batches, the memory they hold
// (buffer.memory), topic partition counts, and what the sender is asked to
// look up. Callers append and wait (for metadata, memory, flush); the sender
// takes what is ready to go, puts back what it retries and releases what
// is done. One mutex guards it all; callbacks never run under it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "producer/partitioner.hpp"
#include "producer/producer_batch.hpp"
#include "producer/producer_config.hpp"
#include "records/record.hpp"

namespace brokkr::client {

class RecordAccumulator {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RecordAccumulator(const ProducerConfig& config);

  // --- callers of send() ---

  // The topic's partition count: from the cache, or asks the sender for
  // metadata and waits up to max.block.ms. Throws SendFailure.
  std::int32_t partition_count(const std::string& topic);

  // Appends one record (`partition` < 0: the topic's sticky partition),
  // waiting up to max.block.ms for buffer memory. Throws SendFailure.
  void append(const std::string& topic, std::int32_t partition, std::int32_t partitions,
              std::int64_t timestamp, const ProducerRecord& record, std::int64_t size, SendCallback&& callback);

  // Sends every queued batch now and waits until all have completed.
  void flush();
  // No more appends; the sender sends what is queued and stops.
  void close();
  bool closed() const;

  // --- the sender thread ---

  struct Work {
    std::vector<std::unique_ptr<ProducerBatch>> ready;    // in partition, then creation order
    std::vector<std::unique_ptr<ProducerBatch>> expired;  // past delivery.timeout.ms
    std::vector<std::string> metadata_topics;             // callers wait for these
    bool shutdown = false;                                // closed and everything done
  };
  // What there is to do now. With `may_wait` (nothing in flight) it waits
  // until there is something: a full batch, a linger or backoff deadline,
  // a metadata question, flush or close.
  Work take_work(bool may_wait, bool nothing_in_flight);

  // The sender's answer about a topic: its partition count (0 = not known
  // yet, callers ask again), or an error callers give up on (`error`).
  void publish_topic(const std::string& topic, std::int32_t partitions, const SendError* error = nullptr);
  // Batches to send again (after retry_at), back in creation order.
  void requeue(std::vector<std::unique_ptr<ProducerBatch>> batches);
  // A batch is done (callbacks called): frees its memory.
  void release(const ProducerBatch& batch);

 private:
  struct TopicState {
    std::int32_t partitions = 0;
    std::optional<SendError> error;
    std::uint64_t answers = 0;  // bumped by every publish_topic
  };
  void wake_sender();  // under the lock

  const ProducerConfig& config_;
  mutable std::mutex mutex_;
  std::condition_variable sender_cv_;
  std::condition_variable caller_cv_;
  bool sender_waiting_ = false;
  bool closed_ = false;
  int flushing_ = 0;
  std::map<TopicPartition, std::deque<std::unique_ptr<ProducerBatch>>> queues_;
  std::map<std::string, TopicState, std::less<>> topics_;
  std::set<std::string> metadata_wanted_;
  StickyPartitioner sticky_;
  std::int64_t buffered_bytes_ = 0;
  std::int64_t incomplete_batches_ = 0;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace brokkr::client
