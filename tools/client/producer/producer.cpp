#include "producer/producer.hpp"

#include <chrono>

#include "producer/partitioner.hpp"
#include "producer/send_failure.hpp"
#include "producer/sender.hpp"

namespace brokkr::client {
namespace {

// An upper bound of the record's size in a v2 batch: varints at their
// longest (Kafka's DefaultRecord.sizeInUpperBound does the same).
std::int64_t record_size_upper_bound(const ProducerRecord& record) {
  std::int64_t size = 5 + 1 + 10 + 5 + 5 + 5 + 5;  // length, attributes, deltas, key/value lengths, header count
  if (record.key) size += static_cast<std::int64_t>(record.key->size());
  if (record.value) size += static_cast<std::int64_t>(record.value->size());
  for (const auto& header : record.headers) {
    size += 10 + static_cast<std::int64_t>(header.key.size()) +
            static_cast<std::int64_t>(header.value ? header.value->size() : 0);
  }
  return size;
}

constexpr std::int64_t kBatchOverhead = 61;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Producer::Producer(const Properties& properties)
    : config_(ProducerConfig::from(properties)), accumulator_(config_) {
  sender_ = std::make_unique<Sender>(properties, config_, accumulator_);
  io_thread_ = std::thread([this] { sender_->run(); });
}

Producer::~Producer() { close(); }

std::int32_t Producer::partition_count(const std::string& topic) { return accumulator_.partition_count(topic); }

void Producer::send(const ProducerRecord& record, SendCallback callback) {
  std::int32_t partition = record.partition.value_or(-1);
  try {
    if (accumulator_.closed()) {
      throw SendFailure("IllegalStateException", "Cannot perform operation after producer has been closed");
    }
    const auto partitions = accumulator_.partition_count(record.topic);
    const auto size = record_size_upper_bound(record);
    if (size + kBatchOverhead > config_.max_request_size) {
      throw SendFailure(SendError{10, "RecordTooLargeException",
                                  "The message is " + std::to_string(size + kBatchOverhead) +
                                      " bytes when serialized which is larger than " +
                                      std::to_string(config_.max_request_size) +
                                      ", which is the value of the max.request.size configuration."});
    }
    if (size + kBatchOverhead > config_.buffer_memory) {
      throw SendFailure(SendError{10, "RecordTooLargeException",
                                  "The message is " + std::to_string(size + kBatchOverhead) +
                                      " bytes when serialized which is larger than the total memory buffer you have "
                                      "configured with the buffer.memory configuration."});
    }
    if (record.partition) {
      if (partition < 0 || partition >= partitions) {
        throw SendFailure("IllegalArgumentException", "Invalid partition given with record: " + std::to_string(partition) +
                                                          " is not in the range [0..." + std::to_string(partitions) +
                                                          "].");
      }
    } else if (record.key && !config_.partitioner_ignore_keys) {
      partition = partition_for_key(*record.key, partitions);
    }
    const auto timestamp = record.timestamp >= 0 ? record.timestamp : now_ms();
    accumulator_.append(record.topic, partition, partitions, timestamp, record, size, std::move(callback));
  } catch (const SendFailure& failure) {
    if (callback) {
      RecordMetadata metadata;
      metadata.topic = record.topic;
      metadata.partition = partition;
      callback(metadata, &failure.error());
    }
  }
}

void Producer::flush() { accumulator_.flush(); }

void Producer::close() {
  if (!io_thread_.joinable()) return;
  accumulator_.close();
  io_thread_.join();
}

}  // namespace brokkr::client
