// SegmentPartition: construction, the append path, reads and lookups.
#include "partition_log.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "batch_records.hpp"
#include "brokkr/sdk/records.hpp"
#include "clock.hpp"
#include "log_reader.hpp"
#include "segment_files.hpp"

namespace brokkr::segment {

namespace rb = sdk::record_batch;

SegmentPartition::SegmentPartition(sdk::PartitionId id, std::filesystem::path dir,
                                   LoadedPartition loaded, const sdk::LogSettings& settings,
                                   std::int64_t index_max_bytes, std::shared_ptr<sdk::Logger> logger,
                                   std::shared_ptr<const sdk::CodecAccess> codecs)
    : id_(std::move(id)),
      name_(partition_dir_name(id_)),
      dir_(std::move(dir)),
      index_max_bytes_(index_max_bytes),
      logger_(std::move(logger)),
      codecs_(std::move(codecs)),
      settings_(settings),
      epochs_(dir_) {
  active_ = loaded.segments.back();
  segments_ = std::make_shared<const SegmentList>(std::move(loaded.segments));
  log_end_offset_.store(active_->next_offset());
  log_start_offset_.store(loaded.state.log_start_offset);
  recovery_point_.store(loaded.state.recovery_point);
  cleaner_offset_.store(loaded.state.cleaner_offset);
  tombstone_expiry_ms_.store(loaded.state.tombstone_expiry_ms);
  roll_flush_offset_.store(loaded.state.recovery_point);
  last_flush_ms_.store(wall_clock_ms());
  // The history cannot describe offsets the log no longer has.
  epochs_.truncate_from_end(log_end_offset_.load());
}

std::shared_ptr<const SegmentPartition::SegmentList> SegmentPartition::segments() const {
  std::lock_guard lock(list_mutex_);
  return segments_;
}

void SegmentPartition::publish(std::shared_ptr<const SegmentList> list) {
  std::lock_guard lock(list_mutex_);
  segments_ = std::move(list);
}

std::vector<std::int64_t> SegmentPartition::segment_bases() const {
  std::vector<std::int64_t> out;
  auto list = segments();  // held: a range-for over *segments() would dangle
  for (const auto& s : *list) out.push_back(s->base_offset());
  return out;
}

sdk::LogSettings SegmentPartition::settings() const {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

void SegmentPartition::check_writable() const {
  if (closed_) throw std::runtime_error("partition " + name_ + " is closed");
}

// ---------------------------------------------------------------- append

bool SegmentPartition::should_roll(const Segment& active, std::int64_t bytes,
                                   std::int64_t first_offset, std::int64_t last_offset,
                                   std::int64_t max_timestamp,
                                   const sdk::LogSettings& settings) const {
  // Relative offsets in the indexes are 32-bit.
  if (last_offset - active.base_offset() > INT32_MAX) {
    return !(active.size() == 0 && first_offset == active.base_offset());
  }
  if (active.size() == 0) return false;
  // File positions in the offset index are 32-bit too.
  std::int64_t max_bytes = std::min<std::int64_t>(settings.segment_bytes, INT32_MAX);
  if (active.size() > max_bytes - bytes) return true;
  if (active.index_full()) return true;
  // Age: the data's own clock when both timestamps are known (Kafka's rule),
  // else how long ago the segment was created.
  std::int64_t first_ts = active.first_batch_timestamp();
  std::int64_t age = (max_timestamp >= 0 && first_ts >= 0)
                         ? max_timestamp - first_ts
                         : wall_clock_ms() - active.created_ms();
  return age > settings.segment_ms;
}

void SegmentPartition::roll_locked(std::int64_t base_offset) {
  std::lock_guard structure(structure_mutex_);
  active_->seal();
  auto next = Segment::create(dir_, base_offset, index_max_bytes_, wall_clock_ms());
  auto list = std::make_shared<SegmentList>(*segments());
  list->push_back(next);
  publish(std::move(list));
  active_ = std::move(next);
  // The sealed segment is flushed by the background thread (as Kafka does on
  // roll), which then moves the recovery point to here.
  std::int64_t pending = roll_flush_offset_.load();
  while (pending < base_offset && !roll_flush_offset_.compare_exchange_weak(pending, base_offset)) {
  }
}

sdk::AppendInfo SegmentPartition::append(std::span<const std::uint8_t> batches,
                                         const sdk::AppendInfo& info) {
  std::lock_guard lock(append_mutex_);
  check_writable();
  // Framing: whole v2 batches, offsets from the log end on, increasing.
  std::int64_t end = log_end_offset_.load(std::memory_order_relaxed);
  std::int64_t expected = end, first_offset = -1, max_timestamp = -1;
  std::int64_t records = 0;
  std::size_t at = 0;
  while (at < batches.size()) {
    auto h = rb::parse_header(batches.subspan(at));
    if (!h || h->magic != 2 || h->batch_length < kMinBatchLength ||
        h->total_size() > static_cast<std::int64_t>(batches.size() - at) ||
        h->base_offset < expected || h->last_offset_delta < 0) {
      throw std::invalid_argument("partition " + name_ + ": append of malformed batches at byte " +
                                  std::to_string(at) + " (log end offset " + std::to_string(end) + ")");
    }
    if (first_offset < 0) first_offset = h->base_offset;
    max_timestamp = std::max(max_timestamp, h->max_timestamp);
    records += h->record_count;
    expected = h->last_offset() + 1;
    at += static_cast<std::size_t>(h->total_size());
  }
  if (first_offset < 0) throw std::invalid_argument("partition " + name_ + ": empty append");

  if (should_roll(*active_, static_cast<std::int64_t>(batches.size()), first_offset, expected - 1,
                  max_timestamp, settings_)) {
    roll_locked(first_offset);
  }
  active_->append(batches, settings_.index_interval_bytes);
  log_end_offset_.store(expected, std::memory_order_release);

  unflushed_messages_ += records;
  if (unflushed_messages_ >= settings_.flush_messages) {
    flush_to(expected);
    unflushed_messages_ = 0;
  }

  sdk::AppendInfo out = info;
  out.base_offset = first_offset;
  out.last_offset = expected - 1;
  if (out.record_count == 0) out.record_count = static_cast<std::int32_t>(records);
  if (out.max_timestamp < 0) out.max_timestamp = max_timestamp;
  return out;
}

// ---------------------------------------------------------------- reads

sdk::ReadResult SegmentPartition::read(std::int64_t offset, std::int64_t max_bytes,
                                       std::int64_t max_offset) {
  sdk::ReadResult result;
  result.log_end_offset = log_end_offset();
  result.log_start_offset = log_start_offset();
  if (offset < result.log_start_offset || offset > result.log_end_offset) {
    throw std::out_of_range("partition " + name_ + ": offset " + std::to_string(offset) +
                            " is outside [" + std::to_string(result.log_start_offset) + ", " +
                            std::to_string(result.log_end_offset) + "]");
  }
  max_offset = std::min(max_offset, result.log_end_offset);
  if (offset >= max_offset) return result;

  auto list = segments();
  auto it = std::upper_bound(list->begin(), list->end(), offset,
                             [](std::int64_t o, const SegmentPtr& s) { return o < s->base_offset(); });
  if (it != list->begin()) --it;
  std::array<std::uint8_t, 4096> buffer;
  std::int64_t remaining = max_bytes;
  bool first = true;
  for (; it != list->end(); ++it) {
    const Segment& segment = **it;
    if (segment.base_offset() >= max_offset) break;
    std::int64_t size = segment.size();
    if (size == 0) continue;
    LogReader reader(segment.log()->fd.get(), segment.log()->path, size, buffer);
    std::int64_t start, end;
    if (first) {
      auto found = segment.locate(offset, size, reader);
      if (!found) continue;  // the offset is in a gap at the end of this segment
      if (found->header.last_offset() >= max_offset) break;
      start = found->position;
      end = start + found->header.total_size();
      first = false;  // the first batch goes whole, whatever max_bytes says
    } else {
      auto h = reader.header(0);
      if (!h || h->total_size() > size || h->total_size() > remaining ||
          h->last_offset() >= max_offset) {
        break;
      }
      start = 0;
      end = h->total_size();
    }
    remaining -= end - start;
    std::int64_t run_end = segment.extend_run(end, end + std::max<std::int64_t>(remaining, 0),
                                              max_offset, reader);
    remaining -= run_end - end;
    result.ranges.push_back({segment.log()->fd.get(), start, run_end - start, segment.log()});
    if (run_end < size || remaining <= 0) break;
  }
  return result;
}

std::pair<std::int64_t, std::int64_t> SegmentPartition::first_record_at_or_after(
    const Segment& segment, const Located& batch, std::int64_t timestamp,
    std::int64_t min_offset) const {
  const auto& h = batch.header;
  std::int64_t fallback_offset = std::max(h.base_offset, min_offset);
  // With LogAppendTime every record has the batch's timestamp. Inside a
  // compressed batch whose codec is not loaded nothing can be read: its base
  // offset.
  if (h.log_append_time()) return {fallback_offset, h.max_timestamp};
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(h.total_size()));
  if (plugin_common::read_at(segment.log()->fd.get(), bytes, batch.position, segment.log()->path) != bytes.size()) {
    return {fallback_offset, h.max_timestamp};
  }
  std::vector<std::uint8_t> decompressed;
  auto records = batch_records(bytes, h, *codecs_, decompressed);
  if (!records) return {fallback_offset, h.max_timestamp};
  try {
    sdk::records::Cursor cursor{*records};
    for (std::int32_t i = 0; i < h.record_count; ++i) {
      auto r = sdk::records::next_record(cursor);
      std::int64_t offset = h.base_offset + r.offset_delta;
      std::int64_t ts = h.base_timestamp + r.timestamp_delta;
      if (offset >= min_offset && ts >= timestamp) return {offset, ts};
    }
  } catch (const sdk::records::RecordError&) {
  }
  return {fallback_offset, h.max_timestamp};
}

std::optional<std::pair<std::int64_t, std::int64_t>> SegmentPartition::offset_for_timestamp(
    std::int64_t timestamp) {
  std::int64_t start = log_start_offset();
  auto list = segments();
  std::array<std::uint8_t, 4096> buffer;
  for (const auto& segment : *list) {
    if (segment->max_timestamp() < timestamp || segment->next_offset() <= start) continue;
    LogReader reader(segment->log()->fd.get(), segment->log()->path, segment->size(), buffer);
    auto found = segment->find_timestamp(timestamp, start, reader);
    if (!found) continue;
    return first_record_at_or_after(*segment, *found, timestamp, start);
  }
  return std::nullopt;
}

std::optional<std::pair<std::int64_t, std::int64_t>> SegmentPartition::max_timestamp() {
  std::int64_t start = log_start_offset();
  auto list = segments();
  SegmentPtr best;
  for (const auto& segment : *list) {
    if (segment->next_offset() <= start) continue;
    if (!best || segment->max_timestamp() > best->max_timestamp()) best = segment;
  }
  if (!best || best->max_timestamp() < 0) return std::nullopt;
  std::int64_t ts = best->max_timestamp();
  std::array<std::uint8_t, 4096> buffer;
  LogReader reader(best->log()->fd.get(), best->log()->path, best->size(), buffer);
  auto found = best->find_timestamp(ts, start, reader);
  if (!found) return std::nullopt;
  return first_record_at_or_after(*best, *found, ts, start);
}

std::int64_t SegmentPartition::size_bytes() const {
  std::int64_t total = 0;
  auto list = segments();
  for (const auto& s : *list) total += s->size();
  return total;
}

// ---------------------------------------------------------------- epochs

void SegmentPartition::record_epoch_start(std::int32_t epoch, std::int64_t start_offset) {
  epochs_.assign(epoch, start_offset);
}

std::optional<std::pair<std::int32_t, std::int64_t>> SegmentPartition::end_offset_for_epoch(
    std::int32_t epoch) {
  return epochs_.end_offset_for(epoch, log_end_offset());
}

}  // namespace brokkr::segment
