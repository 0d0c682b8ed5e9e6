// SegmentPartition: flushing, truncation, log start moves, retention,
// time-based rolls, close and removal.
#include <algorithm>
#include <stdexcept>

#include <sys/stat.h>

#include "clock.hpp"
#include "partition_log.hpp"
#include "partition_state.hpp"
#include "segment_files.hpp"
#include "segment_scan.hpp"

namespace brokkr::segment {

// ---------------------------------------------------------------- flush

void SegmentPartition::persist_state() {
  std::lock_guard lock(state_mutex_);
  if (removed_) return;
  PartitionState state;
  state.log_start_offset = log_start_offset_.load();
  state.recovery_point = recovery_point_.load();
  state.cleaner_offset = cleaner_offset_.load();
  state.tombstone_expiry_ms = tombstone_expiry_ms_.load();
  write_partition_state(dir_, state);
}

void SegmentPartition::flush_to(std::int64_t up_to) {
  std::lock_guard lock(flush_mutex_);
  std::int64_t from = recovery_point_.load();
  if (up_to <= from) return;
  auto list = segments();  // held: a range-for over *segments() would dangle
  for (const auto& segment : *list) {
    if (segment->base_offset() >= up_to) break;
    if (segment->next_offset() > from || segment->base_offset() >= from) segment->flush();
  }
  plugin_common::sync_dir(dir_);  // names of segments created since the last flush
  recovery_point_.store(up_to);
  last_flush_ms_.store(wall_clock_ms());
  persist_state();
}

void SegmentPartition::flush() { flush_to(log_end_offset()); }

// ---------------------------------------------------------------- deletion

void SegmentPartition::remove_files(const std::vector<std::filesystem::path>& files) {
  for (const auto& f : files) {
    std::error_code ec;
    std::filesystem::remove(f, ec);
  }
}

std::vector<std::filesystem::path> SegmentPartition::delete_oldest_locked(
    std::size_t count, std::int64_t new_start_offset) {
  auto current = segments();
  count = std::min(count, current->size() - 1);
  if (count > 0) new_start_offset = std::max(new_start_offset, (*current)[count]->base_offset());
  // The new start offset is durable before any file goes: a crash in between
  // leaves segments below it, which the next load drops.
  if (new_start_offset > log_start_offset_.load()) {
    log_start_offset_.store(new_start_offset, std::memory_order_release);
    persist_state();
    epochs_.truncate_from_start(new_start_offset);
  }
  std::vector<std::filesystem::path> files;
  if (count == 0) return files;
  auto list = std::make_shared<SegmentList>(current->begin() + static_cast<std::ptrdiff_t>(count),
                                            current->end());
  publish(std::move(list));
  for (std::size_t i = 0; i < count; ++i) {
    auto renamed = (*current)[i]->rename_for_delete();
    files.insert(files.end(), renamed.begin(), renamed.end());
  }
  return files;
}

void SegmentPartition::advance_start_offset(std::int64_t offset) {
  std::vector<std::filesystem::path> files;
  {
    std::lock_guard lock(structure_mutex_);
    if (removed_) return;
    offset = std::min(offset, log_end_offset());
    if (offset <= log_start_offset()) return;
    // Segments whose successor starts at or below the new start hold nothing
    // readable any more.
    auto list = segments();
    std::size_t count = 0;
    while (count + 1 < list->size() && (*list)[count + 1]->base_offset() <= offset) ++count;
    files = delete_oldest_locked(count, offset);
  }
  remove_files(files);
}

// ---------------------------------------------------------------- truncation

void SegmentPartition::truncate_to(std::int64_t offset) {
  std::vector<std::filesystem::path> files;
  {
    std::lock_guard append(append_mutex_);
    check_writable();
    std::lock_guard structure(structure_mutex_);
    std::int64_t end = log_end_offset();
    if (offset >= end) return;
    auto list = segments();
    std::int64_t new_end = offset;
    SegmentPtr kept_tail;  // the segment that now ends the log
    std::size_t keep = 0;  // segments before it that stay as they are
    if (offset <= list->front()->base_offset() || offset < log_start_offset()) {
      // Nothing remains: start over at `offset`.
      keep = 0;
    } else {
      while (keep < list->size() && (*list)[keep]->base_offset() < offset) ++keep;
      const SegmentPtr& tail = (*list)[--keep];
      std::array<std::uint8_t, 4096> buffer;
      LogReader reader(tail->log()->fd.get(), tail->log()->path, tail->size(), buffer);
      auto cut = tail->locate(offset, tail->size(), reader);
      std::int64_t cut_position = cut ? cut->position : tail->size();
      new_end = std::min(offset, cut ? cut->header.base_offset : tail->next_offset());
      const LogFile& log = *tail->log();
      plugin_common::truncate_file(log.fd.get(), cut_position, log.path);
      plugin_common::sync_data(log.fd.get(), log.path);
      // New index files (new inodes): readers of the old object keep theirs.
      ScanOutcome scan =
          scan_segment(log, tail->base_offset(), cut_position, settings_.index_interval_bytes, false);
      write_index_files(dir_, tail->base_offset(), scan.indexes);
      kept_tail = Segment::open(dir_, tail->base_offset(), tail->log(), scan.state,
                                scan.indexes.offset_bytes.size() / kOffsetEntrySize,
                                scan.indexes.time_bytes.size() / kTimeEntrySize, true,
                                index_max_bytes_, wall_clock_ms());
    }
    for (std::size_t i = kept_tail ? keep + 1 : 0; i < list->size(); ++i) {
      auto renamed = (*list)[i]->rename_for_delete();
      files.insert(files.end(), renamed.begin(), renamed.end());
    }
    if (!kept_tail) {
      kept_tail = Segment::create(dir_, offset, index_max_bytes_, wall_clock_ms());
      log_start_offset_.store(offset);
      keep = 0;
    }
    auto next = std::make_shared<SegmentList>(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(keep));
    next->push_back(kept_tail);
    publish(std::move(next));
    active_ = kept_tail;
    plugin_common::sync_dir(dir_);

    log_end_offset_.store(new_end, std::memory_order_release);
    if (recovery_point_.load() > new_end) recovery_point_.store(new_end);
    if (roll_flush_offset_.load() > new_end) roll_flush_offset_.store(new_end);
    if (cleaner_offset_.load() > kept_tail->base_offset()) cleaner_offset_.store(kept_tail->base_offset());
    epochs_.truncate_from_end(new_end);
    persist_state();
  }
  remove_files(files);
}

// ---------------------------------------------------------------- settings

void SegmentPartition::update_settings(const sdk::LogSettings& settings) {
  std::lock_guard append(append_mutex_);
  std::lock_guard lock(settings_mutex_);
  settings_ = settings;
}

// ---------------------------------------------------------------- maintenance

void SegmentPartition::maybe_roll_by_time(std::int64_t now_ms, const sdk::LogSettings& settings) {
  std::lock_guard lock(append_mutex_);
  if (closed_ || active_->size() == 0) return;
  std::int64_t first_ts = active_->first_batch_timestamp();
  std::int64_t since = first_ts >= 0 ? first_ts : active_->created_ms();
  if (now_ms - since > settings.segment_ms) roll_locked(log_end_offset());
}

namespace {
// A segment's age for retention: its largest timestamp, or when its file was
// last written for data without timestamps.
std::int64_t retention_timestamp(const Segment& segment) {
  if (segment.max_timestamp() >= 0) return segment.max_timestamp();
  struct stat st {};
  if (::fstat(segment.log()->fd.get(), &st) != 0) return INT64_MAX;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}
}  // namespace

void SegmentPartition::apply_retention(std::int64_t now_ms, const sdk::LogSettings& settings) {
  if (!settings.remove) return;
  auto expired = [&](const Segment& s) {
    return settings.retention_ms >= 0 && now_ms - retention_timestamp(s) > settings.retention_ms;
  };
  // Everything expired, the active segment included: roll so that it can go
  // too (Kafka does the same), leaving an empty active segment.
  if (settings.retention_ms >= 0) {
    auto list = segments();
    bool all = std::all_of(list->begin(), list->end(), [&](const SegmentPtr& s) { return expired(*s); });
    if (all) {
      std::lock_guard lock(append_mutex_);
      if (!closed_ && active_->size() > 0 && expired(*active_)) roll_locked(log_end_offset());
    }
  }

  std::vector<std::filesystem::path> files;
  std::size_t by_time = 0, by_size = 0;
  {
    std::lock_guard lock(structure_mutex_);
    if (removed_) return;
    auto list = segments();
    std::size_t closed = list->size() - 1;
    std::size_t count = 0;
    while (count < closed && expired(*(*list)[count])) ++count;
    by_time = count;
    if (settings.retention_bytes >= 0) {
      std::int64_t total = 0;
      for (const auto& s : *list) total += s->size();
      for (std::size_t i = 0; i < count; ++i) total -= (*list)[i]->size();
      while (count < closed && total - (*list)[count]->size() >= settings.retention_bytes) {
        total -= (*list)[count]->size();
        ++count;
      }
    }
    by_size = count - by_time;
    if (count == 0) return;
    files = delete_oldest_locked(count, 0);
  }
  logger_->info("segment: partition " + name_ + ": deleted " + std::to_string(by_time + by_size) +
                " segment(s) by retention (" + std::to_string(by_time) + " by time, " +
                std::to_string(by_size) + " by size); log start offset " +
                std::to_string(log_start_offset()));
  remove_files(files);
}

void SegmentPartition::flush_by_policy(std::int64_t now_ms, const sdk::LogSettings& settings) {
  // Segments sealed by a roll are flushed in the background (Kafka's flush
  // on roll), which bounds crash recovery to the active segment.
  std::int64_t rolled = roll_flush_offset_.load();
  if (rolled > recovery_point_.load()) flush_to(rolled);
  std::int64_t end = log_end_offset();
  if (end > recovery_point_.load() && settings.flush_ms != INT64_MAX &&
      now_ms - last_flush_ms_.load() >= settings.flush_ms) {
    flush_to(end);
  }
}

void SegmentPartition::maintain(std::int64_t now_ms) {
  {
    std::lock_guard lock(append_mutex_);
    if (closed_) return;
  }
  sdk::LogSettings settings = this->settings();
  maybe_roll_by_time(now_ms, settings);
  apply_retention(now_ms, settings);
  if (settings.compact) compact(now_ms, settings);
  flush_by_policy(now_ms, settings);
}

// ---------------------------------------------------------------- shutdown

void SegmentPartition::close() {
  std::lock_guard lock(append_mutex_);
  if (closed_) return;
  std::int64_t end = log_end_offset();
  {
    std::lock_guard structure(structure_mutex_);
    if (removed_) {
      closed_ = true;
      return;
    }
    active_->seal();  // trimmed indexes + final time entry: the next start loads them as they are
  }
  active_->flush();
  flush_to(end);
  closed_ = true;
}

void SegmentPartition::remove_from_disk() {
  std::lock_guard append(append_mutex_);
  std::lock_guard structure(structure_mutex_);
  std::lock_guard state(state_mutex_);
  if (removed_) return;
  removed_ = true;
  closed_ = true;
  epochs_.detach();
  delete_partition_dir(dir_);
}

}  // namespace brokkr::segment
