#include "producer/record_accumulator.hpp"

#include <algorithm>

#include "producer/send_failure.hpp"

namespace brokkr::client {

RecordAccumulator::RecordAccumulator(const ProducerConfig& config) : config_(config) {}

void RecordAccumulator::wake_sender() {
  if (sender_waiting_) sender_cv_.notify_one();
}

bool RecordAccumulator::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::int32_t RecordAccumulator::partition_count(const std::string& topic) {
  std::unique_lock lock(mutex_);
  const auto deadline = Clock::now() + config_.max_block;
  for (;;) {
    auto it = topics_.find(topic);
    if (it != topics_.end() && it->second.partitions > 0) return it->second.partitions;
    if (it != topics_.end() && it->second.error) {
      SendError error = *it->second.error;
      it->second.error.reset();  // the next send asks again
      throw SendFailure(std::move(error));
    }
    const std::uint64_t answers = it == topics_.end() ? 0 : it->second.answers;
    metadata_wanted_.insert(topic);
    wake_sender();
    bool answered = caller_cv_.wait_until(lock, deadline, [&] {
      auto t = topics_.find(topic);
      return t != topics_.end() && t->second.answers != answers;
    });
    if (answered) {
      auto& state = topics_.find(topic)->second;
      if (state.partitions > 0 || state.error) continue;
      // Not there (yet): ask again after retry.backoff.ms.
      caller_cv_.wait_until(lock, std::min(deadline, Clock::now() + config_.retry_backoff),
                            [&] { return closed_; });
    }
    if (Clock::now() >= deadline) {
      throw SendFailure("TimeoutException", "Topic " + topic + " not present in metadata after " +
                                                std::to_string(config_.max_block.count()) + " ms.");
    }
  }
}

void RecordAccumulator::append(const std::string& topic, std::int32_t partition, std::int32_t partitions,
                               std::int64_t timestamp, const ProducerRecord& record, std::int64_t size,
                               SendCallback&& callback) {
  std::unique_lock lock(mutex_);
  if (closed_) {
    throw SendFailure("IllegalStateException", "Cannot perform operation after producer has been closed");
  }
  if (buffered_bytes_ > 0 && buffered_bytes_ + size > config_.buffer_memory) {
    const auto deadline = Clock::now() + config_.max_block;
    wake_sender();
    bool room = caller_cv_.wait_until(lock, deadline, [&] {
      return buffered_bytes_ == 0 || buffered_bytes_ + size <= config_.buffer_memory;
    });
    if (!room) {
      throw SendFailure("BufferExhaustedException",
                        "Failed to allocate " + std::to_string(size) + " bytes within the configured max blocking time " +
                            std::to_string(config_.max_block.count()) + " ms. Total memory: " +
                            std::to_string(config_.buffer_memory) + " bytes.");
    }
  }
  const bool sticky = partition < 0;
  if (sticky) partition = sticky_.partition(topic, partitions);

  auto& queue = queues_[TopicPartition{topic, partition}];
  ProducerBatch* batch = queue.empty() ? nullptr : queue.back().get();
  if (batch != nullptr && !batch->full && !batch->builder.empty() &&
      static_cast<std::int64_t>(batch->builder.size_in_bytes()) + size > config_.batch_size) {
    batch->full = true;
  }
  if (batch == nullptr || batch->full) {
    queue.push_back(std::make_unique<ProducerBatch>(TopicPartition{topic, partition}, config_.compression,
                                                    config_.compression_level, next_sequence_++));
    batch = queue.back().get();
    ++incomplete_batches_;
    wake_sender();  // a full batch to send, or a new linger deadline
  }
  batch->builder.append(timestamp, record.key, record.value, record.headers);
  batch->callbacks.push_back(std::move(callback));
  batch->timestamps.push_back(timestamp);
  batch->reserved_bytes += size;
  buffered_bytes_ += size;
  if (static_cast<std::int64_t>(batch->builder.size_in_bytes()) >= config_.batch_size) {
    batch->full = true;
    wake_sender();
  }
  if (sticky) sticky_.on_append(topic, partitions, size, config_.batch_size);
}

void RecordAccumulator::flush() {
  std::unique_lock lock(mutex_);
  ++flushing_;
  wake_sender();
  caller_cv_.wait(lock, [&] { return incomplete_batches_ == 0; });
  --flushing_;
}

void RecordAccumulator::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  sender_cv_.notify_one();
  caller_cv_.notify_all();
}

RecordAccumulator::Work RecordAccumulator::take_work(bool may_wait, bool nothing_in_flight) {
  std::unique_lock lock(mutex_);
  for (;;) {
    Work work;
    const auto now = Clock::now();
    auto wake_at = Clock::time_point::max();
    const bool send_all = flushing_ > 0 || closed_;
    bool queued = false;
    for (auto& [tp, queue] : queues_) {
      int taken = 0;
      while (!queue.empty() && taken < config_.max_in_flight) {
        auto& batch = *queue.front();
        if (now - batch.created >= config_.delivery_timeout) {
          work.expired.push_back(std::move(queue.front()));
          queue.pop_front();
          continue;
        }
        if (batch.retry_at > now) {
          wake_at = std::min(wake_at, batch.retry_at);
          break;
        }
        const auto linger_end = batch.created + config_.linger;
        if (!(batch.full || queue.size() > 1 || now >= linger_end || send_all)) {
          wake_at = std::min(wake_at, linger_end);
          break;
        }
        batch.full = true;
        work.ready.push_back(std::move(queue.front()));
        queue.pop_front();
        ++taken;
      }
      queued = queued || !queue.empty();
    }
    std::erase_if(queues_, [](const auto& entry) { return entry.second.empty(); });
    work.metadata_topics.assign(metadata_wanted_.begin(), metadata_wanted_.end());
    metadata_wanted_.clear();
    work.shutdown = closed_ && !queued && work.ready.empty() && work.expired.empty() && nothing_in_flight &&
                    work.metadata_topics.empty();
    if (!may_wait || work.shutdown || !work.ready.empty() || !work.expired.empty() ||
        !work.metadata_topics.empty()) {
      return work;
    }
    sender_waiting_ = true;
    if (wake_at == Clock::time_point::max()) {
      sender_cv_.wait(lock);
    } else {
      sender_cv_.wait_until(lock, wake_at);
    }
    sender_waiting_ = false;
  }
}

void RecordAccumulator::publish_topic(const std::string& topic, std::int32_t partitions, const SendError* error) {
  std::lock_guard lock(mutex_);
  auto& state = topics_[topic];
  state.partitions = partitions;
  if (error != nullptr) state.error = *error;
  ++state.answers;
  caller_cv_.notify_all();
}

void RecordAccumulator::requeue(std::vector<std::unique_ptr<ProducerBatch>> batches) {
  std::lock_guard lock(mutex_);
  for (auto& batch : batches) {
    batch->full = true;  // already built: takes no more records
    auto& queue = queues_[batch->partition];
    auto at = std::upper_bound(queue.begin(), queue.end(), batch->sequence,
                               [](std::uint64_t seq, const auto& b) { return seq < b->sequence; });
    queue.insert(at, std::move(batch));
  }
}

void RecordAccumulator::release(const ProducerBatch& batch) {
  std::lock_guard lock(mutex_);
  buffered_bytes_ -= batch.reserved_bytes;
  --incomplete_batches_;
  caller_cv_.notify_all();
}

}  // namespace brokkr::client
