#include "partition/partition.hpp"

namespace brokkr::partition {

Partition::Partition(sdk::PartitionId id, std::shared_ptr<sdk::PartitionLog> log,
                     PartitionSettings settings)
    : id_(std::move(id)), log_(std::move(log)), settings_(std::move(settings)) {
  high_watermark_ = log_->log_end_offset();
}

void Partition::set_leadership(bool leader, std::int32_t leader_epoch, std::vector<std::int32_t> isr) {
  std::lock_guard lock(append_mutex_);
  bool new_epoch = leader && (!leader_ || leader_epoch != leader_epoch_);
  leader_ = leader;
  leader_epoch_ = leader_epoch;
  // The epoch history lets followers and consumers detect divergence
  // (OffsetForLeaderEpoch): each epoch starts at the log end when it begins.
  if (new_epoch) log_->record_epoch_start(leader_epoch, log_->log_end_offset());
  // One replica in sync (this one): everything written is committed. With
  // followers, the high watermark will move as they catch up.
  if (isr.size() <= 1) high_watermark_ = log_->log_end_offset();
}

PartitionSettings Partition::settings() const {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

void Partition::update_settings(const PartitionSettings& settings) {
  std::lock_guard lock(settings_mutex_);
  settings_ = settings;
}

AppendResult Partition::append(std::vector<std::uint8_t>& records, std::int64_t now_ms) {
  AppendResult result;
  if (!leader_) {
    result.error = protocol::ErrorCode::not_leader_or_follower;
    return result;
  }
  PartitionSettings current = settings();
  // Validation (CRC, record walk) runs outside the append lock.
  ValidationResult validated = validate_batches(records, current.validation, now_ms);
  if (!validated.ok()) {
    result.error = validated.error;
    result.error_message = validated.message;
    return result;
  }
  if (validated.rewritten) records.swap(*validated.rewritten);
  {
    std::lock_guard lock(append_mutex_);
    sdk::AppendInfo info = assign_offsets(records, validated, log_->log_end_offset(), leader_epoch_);
    try {
      log_->append(records, info);
    } catch (const std::exception& e) {
      result.error = protocol::ErrorCode::kafka_storage_error;
      result.error_message = e.what();
      return result;
    }
    high_watermark_ = log_->log_end_offset();
    result.base_offset = info.base_offset;
    result.last_offset = info.last_offset;
    result.log_start_offset = log_->log_start_offset();
  }
  if (current.validation.log_append_time) result.log_append_time = now_ms;
  notify();
  return result;
}

std::uint64_t Partition::add_listener(std::function<void()> on_change) {
  std::lock_guard lock(listeners_mutex_);
  std::uint64_t handle = next_listener_++;
  listeners_[handle] = std::move(on_change);
  return handle;
}

void Partition::remove_listener(std::uint64_t handle) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(handle);
}

void Partition::notify() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(listeners_mutex_);
    for (const auto& [handle, callback] : listeners_) callbacks.push_back(callback);
  }
  for (auto& callback : callbacks) callback();
}

}  // namespace brokkr::partition
