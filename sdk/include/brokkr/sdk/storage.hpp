// Storage: the partition logs. The kernel validates record batches and
// assigns offsets; the storage engine keeps them (as produced, magic v2),
// indexes them by offset and time, applies retention and compaction, and
// recovers after a crash. Nothing in the kernel knows file names.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "brokkr/sdk/codec.hpp"
#include "brokkr/sdk/plugin.hpp"

namespace brokkr::sdk {

struct PartitionId {
  std::string topic;
  std::int32_t partition = 0;
  bool operator==(const PartitionId&) const = default;
  auto operator<=>(const PartitionId&) const = default;
};

// Per-topic log settings (Kafka's topic config names, already validated by
// the kernel). Values are Kafka's defaults.
struct LogSettings {
  std::int64_t segment_bytes = 1073741824;
  std::int64_t segment_ms = 604800000;
  std::int64_t retention_bytes = -1;
  std::int64_t retention_ms = 604800000;
  std::int32_t index_interval_bytes = 4096;
  std::int64_t flush_messages = INT64_MAX;
  std::int64_t flush_ms = INT64_MAX;
  bool compact = false;
  bool remove = true;  // cleanup.policy contains "delete"
  std::int64_t delete_retention_ms = 86400000;
  std::int64_t min_compaction_lag_ms = 0;
};

// What the kernel learned validating the batches of one append.
struct AppendInfo {
  std::int64_t base_offset = 0;   // first offset of the first batch
  std::int64_t last_offset = 0;   // last offset of the last batch
  std::int64_t max_timestamp = -1;
  std::int64_t offset_of_max_timestamp = -1;
  std::int32_t record_count = 0;
};

// A byte range of an open file: Fetch sends it with sendfile. The engine
// keeps the descriptor open while `keep_alive` is held.
struct FileRange {
  int fd = -1;
  std::int64_t position = 0;
  std::int64_t length = 0;
  std::shared_ptr<void> keep_alive;
};

struct ReadResult {
  std::vector<FileRange> ranges;   // whole batches, in offset order
  std::int64_t log_start_offset = 0;
  std::int64_t log_end_offset = 0;
  std::int64_t total_bytes() const {
    std::int64_t n = 0;
    for (const auto& r : ranges) n += r.length;
    return n;
  }
};

class PartitionLog {
 public:
  virtual ~PartitionLog() = default;
  virtual std::int64_t log_start_offset() const = 0;
  virtual std::int64_t log_end_offset() const = 0;  // next offset to be written
  // `batches` holds one or more complete, validated record batches whose
  // base offsets the kernel has already assigned from log_end_offset().
  // Returns `info` as stored (the engine may fill in what it computes).
  virtual AppendInfo append(std::span<const std::uint8_t> batches, const AppendInfo& info) = 0;
  // Batches containing `offset` and after, up to about `max_bytes` (the first
  // batch is returned whole even when larger, as Kafka does), never past
  // `max_offset` (exclusive; the high watermark): a batch that straddles it
  // is left out. Throws std::out_of_range when `offset` is below the log
  // start (retention may move it between a caller's check and this call)
  // or past the log end.
  virtual ReadResult read(std::int64_t offset, std::int64_t max_bytes, std::int64_t max_offset) = 0;
  // First offset whose timestamp is >= `timestamp`, with that timestamp.
  virtual std::optional<std::pair<std::int64_t, std::int64_t>> offset_for_timestamp(
      std::int64_t timestamp) = 0;
  // The offset and timestamp of the record with the largest timestamp
  // (ListOffsets MAX_TIMESTAMP), or nullopt for an empty log.
  virtual std::optional<std::pair<std::int64_t, std::int64_t>> max_timestamp() = 0;

  // Leader epoch history (Kafka's leader-epoch-checkpoint): the first offset
  // written in each epoch, durable, truncated with the log.
  virtual void record_epoch_start(std::int32_t epoch, std::int64_t start_offset) = 0;
  // For OffsetForLeaderEpoch: the largest epoch <= `epoch` and the offset where
  // the epoch after it starts (or the log end offset); nullopt when unknown.
  virtual std::optional<std::pair<std::int32_t, std::int64_t>> end_offset_for_epoch(
      std::int32_t epoch) = 0;
  // Replication: drops a divergent tail. Whole batches only: truncating
  // inside a batch drops that batch, so log_end_offset() may end below
  // `offset`.
  virtual void truncate_to(std::int64_t offset) = 0;
  virtual void advance_start_offset(std::int64_t offset) = 0;  // DeleteRecords
  virtual void flush() = 0;
  virtual std::int64_t size_bytes() const = 0;
};

// Thread safety: appends to one partition are serialized by the kernel;
// reads, appends and the engine's own background work (retention,
// compaction, rolls, flushes) may run concurrently. Ranges returned by read()
// stay valid while their keep_alive is held, even if the segment is deleted.
// The broker's codecs, for engines that look inside compressed batches
// (compaction, exact timestamp lookups).
struct CodecAccess {
  std::function<Codec*(CompressionType)> find;  // nullptr when none is loaded
  // Batches were validated against this bound when they were produced.
  std::size_t max_decompressed_bytes = 256u << 20;
};

class StorageEngine {
 public:
  virtual ~StorageEngine() = default;
  // Called once, before recover(). An engine that never decompresses may
  // ignore it.
  virtual void set_codecs(CodecAccess codecs) { (void)codecs; }
  // The directory holding the logs (DescribeLogDirs).
  virtual std::string log_dir() const = 0;
  // Finds existing partitions and recovers them (crash recovery runs here).
  virtual std::vector<PartitionId> recover() = 0;
  virtual std::shared_ptr<PartitionLog> open(const PartitionId& id, const LogSettings& settings) = 0;
  virtual void update_settings(const PartitionId& id, const LogSettings& settings) = 0;
  virtual void remove(const PartitionId& id) = 0;  // deletes the data from disk
  // One round of background work: retention, compaction, time-based roll
  // and flush. The engine also runs it by itself on its own thread; tests
  // call it directly with a chosen clock.
  virtual void run_maintenance(std::int64_t now_ms) = 0;
  // Clean shutdown: flush everything and mark the logs clean.
  virtual void close() = 0;
};

}  // namespace brokkr::sdk
