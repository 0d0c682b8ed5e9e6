// SegmentPartition: driving compaction (the rewriting is in compactor.cpp).
//
// The cleaner offset (persisted) splits the closed segments into a clean
// head, already compacted, and a dirty tail. A pass runs when a closed
// segment is dirty and old enough (min.compaction.lag.ms), or when a kept
// tombstone's delete horizon has passed: it builds the key map from the
// dirty segments, then rewrites every closed segment up to the end of the
// dirty range that would change, one at a time, each swapped in crash-safely.
// Segments are not merged: one output per input, possibly empty.
#include <algorithm>

#include <fcntl.h>

#include "clock.hpp"
#include "compactor.hpp"
#include "partition_log.hpp"
#include "segment_files.hpp"

namespace brokkr::segment {

bool SegmentPartition::swap_in_compacted(const SegmentPtr& old, const CompactedSegment& compacted) {
  std::int64_t base = old->base_offset();
  auto cleaned = [&](const char* suffix) {
    auto p = segment_path(dir_, base, suffix);
    p += kCleanedSuffix;
    return p;
  };
  std::lock_guard lock(structure_mutex_);
  auto list = segments();
  auto it = std::find(list->begin(), list->end(), old);
  if (removed_ || it == list->end() || old == active_) {
    // Deleted, truncated or replaced meanwhile: the output is stale.
    for (const char* suffix : {kLogSuffix, kIndexSuffix, kTimeIndexSuffix}) plugin_common::remove_file(cleaned(suffix));
    return false;
  }
  // The .swap name commits the new log: a crash after this point finishes
  // the swap at the next start (and rebuilds the indexes); before it, the
  // .cleaned files are thrown away.
  auto log = segment_path(dir_, base, kLogSuffix);
  auto swap = log;
  swap += kSwapSuffix;
  plugin_common::rename_file(cleaned(kLogSuffix), swap);
  plugin_common::sync_dir(dir_);
  plugin_common::rename_file(cleaned(kIndexSuffix), segment_path(dir_, base, kIndexSuffix));
  plugin_common::rename_file(cleaned(kTimeIndexSuffix), segment_path(dir_, base, kTimeIndexSuffix));
  plugin_common::rename_file(swap, log);
  plugin_common::sync_dir(dir_);

  auto file = std::make_shared<LogFile>();
  file->path = log;
  file->fd = plugin_common::open_file(log, O_RDWR);
  auto replacement = Segment::open(
      dir_, base, std::move(file), compacted.result.state,
      compacted.result.indexes.offset_bytes.size() / kOffsetEntrySize,
      compacted.result.indexes.time_bytes.size() / kTimeEntrySize, false, index_max_bytes_,
      old->created_ms());
  auto next = std::make_shared<SegmentList>(*list);
  (*next)[static_cast<std::size_t>(it - list->begin())] = std::move(replacement);
  publish(std::move(next));
  return true;
}

void SegmentPartition::compact(std::int64_t now_ms, const sdk::LogSettings& settings) {
  auto list = segments();
  if (list->size() < 2) return;
  std::size_t closed = list->size() - 1;
  std::int64_t cleaner_offset = cleaner_offset_.load();

  std::size_t dirty_begin = 0;
  while (dirty_begin < closed && (*list)[dirty_begin]->base_offset() < cleaner_offset) ++dirty_begin;
  // min.compaction.lag.ms holds back segments with recent data; without a
  // lag, timestamps do not matter (records stamped ahead of our clock are
  // compacted like any other, as in Kafka).
  std::size_t dirty_end = dirty_begin;
  while (dirty_end < closed &&
         (settings.min_compaction_lag_ms <= 0 ||
          now_ms - (*list)[dirty_end]->max_timestamp() >= settings.min_compaction_lag_ms)) {
    ++dirty_end;
  }
  std::int64_t expiry = tombstone_expiry_ms_.load();
  bool tombstones_due = expiry >= 0 && now_ms >= expiry;
  if (dirty_end == dirty_begin && !tombstones_due) return;

  KeyMap keys;
  for (std::size_t i = dirty_begin; i < dirty_end; ++i) add_keys(*(*list)[i], *codecs_, keys);

  std::int64_t earliest_horizon = -1;
  std::size_t rewritten = 0;
  for (std::size_t i = 0; i < dirty_end; ++i) {
    const SegmentPtr& segment = (*list)[i];
    CompactedSegment result = compact_segment(dir_, *segment, keys, now_ms,
                                              settings.delete_retention_ms,
                                              settings.index_interval_bytes, *codecs_);
    if (result.changed) {
      if (!swap_in_compacted(segment, result)) return;  // the log changed under us; next round
      ++rewritten;
    }
    if (result.earliest_horizon >= 0 &&
        (earliest_horizon < 0 || result.earliest_horizon < earliest_horizon)) {
      earliest_horizon = result.earliest_horizon;
    }
  }
  std::int64_t new_cleaner_offset = (*list)[dirty_end]->base_offset();
  cleaner_offset_.store(std::max(cleaner_offset, new_cleaner_offset));
  tombstone_expiry_ms_.store(earliest_horizon);
  persist_state();
  if (rewritten > 0) {
    logger_->info("segment: partition " + name_ + ": compacted " + std::to_string(rewritten) +
                  " segment(s) below offset " + std::to_string(new_cleaner_offset));
  }
}

}  // namespace brokkr::segment
