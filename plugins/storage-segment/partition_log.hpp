// One partition's log: an ordered list of segments, the last one active.
//
// Threads and locks (in the order they are taken):
//   append_mutex_     the tail writers: append, roll, truncate_to,
//                     update_settings, close/remove. The kernel already
//                     serializes appends, so on the hot path it is uncontended.
//   flush_mutex_      one flush at a time (fsyncs run outside append_mutex_
//                     unless the flush.messages policy asks for one inline).
//   structure_mutex_  changes of the segment list and the renames/deletions of
//                     segment files (roll, retention, DeleteRecords,
//                     compaction swaps, truncation).
//   state_mutex_      writing partition-state (and the removed_ flag).
//   list_mutex_       guards only the pointer to the current segment list.
// The segment list is copy-on-write: readers take the current list (a
// shared_ptr copy under list_mutex_) and work without locks on segments they
// then co-own, so a segment deleted or replaced meanwhile stays readable.
// Published positions are atomics: an append writes the file, then the index
// entries, then the segment size, then the log end offset (release), so a
// reader that sees an offset also sees its bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "brokkr/sdk/logger.hpp"
#include "brokkr/sdk/storage.hpp"
#include "epoch_cache.hpp"
#include "partition_loader.hpp"
#include "segment.hpp"

namespace brokkr::segment {

class SegmentPartition final : public sdk::PartitionLog {
 public:
  SegmentPartition(sdk::PartitionId id, std::filesystem::path dir, LoadedPartition loaded,
                   const sdk::LogSettings& settings, std::int64_t index_max_bytes,
                   std::shared_ptr<sdk::Logger> logger,
                   std::shared_ptr<const sdk::CodecAccess> codecs = std::make_shared<sdk::CodecAccess>());

  // ---- sdk::PartitionLog
  std::int64_t log_start_offset() const override {
    return log_start_offset_.load(std::memory_order_acquire);
  }
  std::int64_t log_end_offset() const override {
    return log_end_offset_.load(std::memory_order_acquire);
  }
  sdk::AppendInfo append(std::span<const std::uint8_t> batches, const sdk::AppendInfo& info) override;
  sdk::ReadResult read(std::int64_t offset, std::int64_t max_bytes, std::int64_t max_offset) override;
  std::optional<std::pair<std::int64_t, std::int64_t>> offset_for_timestamp(
      std::int64_t timestamp) override;
  std::optional<std::pair<std::int64_t, std::int64_t>> max_timestamp() override;
  void record_epoch_start(std::int32_t epoch, std::int64_t start_offset) override;
  std::optional<std::pair<std::int32_t, std::int64_t>> end_offset_for_epoch(
      std::int32_t epoch) override;
  void truncate_to(std::int64_t offset) override;
  void advance_start_offset(std::int64_t offset) override;
  void flush() override;
  std::int64_t size_bytes() const override;

  // ---- the engine
  const sdk::PartitionId& id() const { return id_; }
  const std::filesystem::path& dir() const { return dir_; }
  void update_settings(const sdk::LogSettings& settings);
  sdk::LogSettings settings() const;
  // One round of background work at time `now_ms`.
  void maintain(std::int64_t now_ms);
  // Clean shutdown of this partition: flush, seal, persist the recovery
  // point. Later appends throw.
  void close();
  // DeleteTopics: renames the directory to "<dir>.delete", then removes it.
  // Later appends throw; ranges already read stay readable.
  void remove_from_disk();

  // For tests and the maintenance thread.
  std::size_t segment_count() const { return segments()->size(); }
  std::vector<std::int64_t> segment_bases() const;

 private:
  using SegmentList = std::vector<SegmentPtr>;
  std::shared_ptr<const SegmentList> segments() const;
  void publish(std::shared_ptr<const SegmentList> list);  // structure_mutex_ held

  // append_mutex_ held.
  bool should_roll(const Segment& active, std::int64_t bytes, std::int64_t first_offset,
                   std::int64_t last_offset, std::int64_t max_timestamp,
                   const sdk::LogSettings& settings) const;
  void roll_locked(std::int64_t base_offset);
  void check_writable() const;

  // fsyncs every segment holding offsets in [recovery point, up_to) and
  // moves the recovery point to `up_to`.
  void flush_to(std::int64_t up_to);
  void persist_state();
  // Drops the oldest `count` segments (never the last) and moves the log
  // start offset to at least the first remaining base; structure_mutex_ held.
  // Returns the renamed files to remove once the locks are released.
  std::vector<std::filesystem::path> delete_oldest_locked(std::size_t count,
                                                          std::int64_t new_start_offset);
  static void remove_files(const std::vector<std::filesystem::path>& files);

  void maybe_roll_by_time(std::int64_t now_ms, const sdk::LogSettings& settings);
  void apply_retention(std::int64_t now_ms, const sdk::LogSettings& settings);
  void flush_by_policy(std::int64_t now_ms, const sdk::LogSettings& settings);
  void compact(std::int64_t now_ms, const sdk::LogSettings& settings);
  // Replaces `old` by the compacted files; false when `old` is gone meanwhile.
  bool swap_in_compacted(const SegmentPtr& old, const struct CompactedSegment& compacted);

  // A batch found by a lookup, refined to the first record with timestamp
  // >= `timestamp` and offset >= `min_offset` when the batch can be read.
  std::pair<std::int64_t, std::int64_t> first_record_at_or_after(const Segment& segment,
                                                                 const Located& batch,
                                                                 std::int64_t timestamp,
                                                                 std::int64_t min_offset) const;

  const sdk::PartitionId id_;
  const std::string name_;
  const std::filesystem::path dir_;
  const std::int64_t index_max_bytes_;
  const std::shared_ptr<sdk::Logger> logger_;
  const std::shared_ptr<const sdk::CodecAccess> codecs_;  // to read inside compressed batches

  std::mutex append_mutex_;
  std::mutex flush_mutex_;
  std::mutex structure_mutex_;
  std::mutex state_mutex_;
  mutable std::mutex list_mutex_;
  mutable std::mutex settings_mutex_;

  std::shared_ptr<const SegmentList> segments_;  // list_mutex_
  SegmentPtr active_;                            // append_mutex_
  sdk::LogSettings settings_;                    // settings_mutex_ (writes also hold append_mutex_)
  bool closed_ = false;                          // append_mutex_
  bool removed_ = false;                         // state_mutex_ (set with all locks held)

  std::atomic<std::int64_t> log_start_offset_{0};
  std::atomic<std::int64_t> log_end_offset_{0};
  std::atomic<std::int64_t> recovery_point_{0};
  std::atomic<std::int64_t> cleaner_offset_{0};
  std::atomic<std::int64_t> tombstone_expiry_ms_{-1};
  std::atomic<std::int64_t> roll_flush_offset_{0};  // rolled segments below this await a flush
  std::atomic<std::int64_t> last_flush_ms_{0};
  std::int64_t unflushed_messages_ = 0;  // append_mutex_

  EpochCache epochs_;
};

}  // namespace brokkr::segment
