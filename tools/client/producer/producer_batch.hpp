// One batch of records for one partition, from the first append to the
// broker's answer (or its failure), with each record's callback.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "producer/send_result.hpp"
#include "records/record_batch_builder.hpp"
#include "topic_partition.hpp"

namespace brokkr::client {

struct ProducerBatch {
  using Clock = std::chrono::steady_clock;

  ProducerBatch(TopicPartition partition_, sdk::CompressionType compression, std::optional<int> level,
                std::uint64_t sequence_)
      : partition(std::move(partition_)), builder(compression, level), sequence(sequence_),
        created(Clock::now()) {}

  TopicPartition partition;
  RecordBatchBuilder builder;
  std::vector<SendCallback> callbacks;   // one per record (may be empty functions)
  std::vector<std::int64_t> timestamps;  // one per record
  std::uint64_t sequence;                // creation order, keeps retried batches in order
  Clock::time_point created;
  Clock::time_point retry_at{};          // not sent again before this
  int attempts = 0;
  std::int64_t reserved_bytes = 0;       // counted against buffer.memory
  bool full = false;                     // takes no more records
  std::vector<std::uint8_t> encoded;     // the built batch, kept for retries

  // Calls every record's callback; the base offset is -1 on failure or acks=0.
  void complete(std::int64_t base_offset, std::int64_t log_append_time, const SendError* error) {
    RecordMetadata metadata;
    metadata.topic = partition.topic;
    metadata.partition = partition.partition;
    for (std::size_t i = 0; i < callbacks.size(); ++i) {
      if (!callbacks[i]) continue;
      metadata.offset = base_offset < 0 || error ? -1 : base_offset + static_cast<std::int64_t>(i);
      metadata.timestamp = log_append_time >= 0 ? log_append_time : timestamps[i];
      callbacks[i](metadata, error);
    }
  }
};

}  // namespace brokkr::client
