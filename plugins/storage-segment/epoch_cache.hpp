// The leader epoch history of a partition (Kafka's leader-epoch-checkpoint):
// the first offset written in each epoch. Kept in memory and in the file
// "leader-epoch-checkpoint" (text: "0", the entry count, then one
// "<epoch> <start offset>" line per entry), replaced atomically (tmp + fsync
// + rename + directory fsync) on every change. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace brokkr::segment {

class EpochCache {
 public:
  struct Entry {
    std::int32_t epoch = 0;
    std::int64_t start_offset = 0;
    bool operator==(const Entry&) const = default;
  };

  // Reads the checkpoint in `dir` (an unreadable file counts as empty).
  explicit EpochCache(std::filesystem::path dir);

  // Records that `epoch` starts at `start_offset`. Ignored when `epoch` is
  // older than the latest one, or equal to it; entries that conflict (a
  // start offset >= `start_offset`) are dropped first.
  void assign(std::int32_t epoch, std::int64_t start_offset);
  // The largest epoch <= `epoch` and where the next epoch starts (or
  // `log_end_offset` for the latest); nullopt when the history is empty or
  // `epoch` is older than all of it.
  std::optional<std::pair<std::int32_t, std::int64_t>> end_offset_for(
      std::int32_t epoch, std::int64_t log_end_offset) const;
  // Drops entries starting at or after `end_offset` (log truncation).
  void truncate_from_end(std::int64_t end_offset);
  // The log start moved: entries that start below it collapse into the
  // latest of them, moved to `start_offset`.
  void truncate_from_start(std::int64_t start_offset);
  std::vector<Entry> entries() const;
  // Stop writing (the partition is being deleted).
  void detach();

 private:
  void persist_locked();

  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  bool detached_ = false;
};

}  // namespace brokkr::segment
