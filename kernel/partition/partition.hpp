// One local partition replica: its log, its leader state and high
// watermark, and the delayed operations (acks=all produce, long-poll
// fetch) waiting on it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/storage.hpp"
#include "partition/batch_validator.hpp"
#include "protocol/error_code.hpp"

namespace brokkr::partition {

struct AppendResult {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::string error_message;
  std::int64_t base_offset = -1;
  std::int64_t last_offset = -1;
  std::int64_t log_append_time = -1;  // set when the topic uses LogAppendTime
  std::int64_t log_start_offset = -1;
};

struct PartitionSettings {
  sdk::LogSettings log;
  ValidationSettings validation;
  std::int32_t min_insync_replicas = 1;
};

class Partition {
 public:
  Partition(sdk::PartitionId id, std::shared_ptr<sdk::PartitionLog> log, PartitionSettings settings);

  const sdk::PartitionId& id() const { return id_; }
  sdk::PartitionLog& log() { return *log_; }

  // Leader state from the metadata (this node leads or follows).
  void set_leadership(bool leader, std::int32_t leader_epoch, std::vector<std::int32_t> isr);
  bool is_leader() const { return leader_.load(); }
  std::int32_t leader_epoch() const { return leader_epoch_.load(); }

  PartitionSettings settings() const;
  void update_settings(const PartitionSettings& settings);

  // Validates and appends the batches of one Produce partition entry. Offsets
  // are assigned here, under the partition's append lock.
  AppendResult append(std::vector<std::uint8_t>& records, std::int64_t now_ms);

  std::int64_t high_watermark() const { return high_watermark_.load(); }
  std::int64_t log_start_offset() const { return log_->log_start_offset(); }
  std::int64_t log_end_offset() const { return log_->log_end_offset(); }

  // Called after every append and high-watermark change (fetch long polls
  // and acks=all produces re-check themselves). Returns a handle.
  std::uint64_t add_listener(std::function<void()> on_change);
  void remove_listener(std::uint64_t handle);

 private:
  void notify();

  sdk::PartitionId id_;
  std::shared_ptr<sdk::PartitionLog> log_;
  mutable std::mutex settings_mutex_;
  PartitionSettings settings_;
  std::mutex append_mutex_;
  std::atomic<bool> leader_{false};
  std::atomic<std::int32_t> leader_epoch_{0};
  std::atomic<std::int64_t> high_watermark_{0};
  std::mutex listeners_mutex_;
  std::uint64_t next_listener_ = 1;
  std::map<std::uint64_t, std::function<void()>> listeners_;
};

}  // namespace brokkr::partition
