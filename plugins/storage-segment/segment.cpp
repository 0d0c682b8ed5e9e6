#include "segment.hpp"

#include <algorithm>
#include <stdexcept>

#include <fcntl.h>

#include "segment_files.hpp"

namespace brokkr::segment {

namespace rb = sdk::record_batch;

Segment::Segment(std::int64_t base_offset, std::shared_ptr<LogFile> log,
                 const std::filesystem::path& dir)
    : base_(base_offset),
      log_(std::move(log)),
      offset_index_(segment_path(dir, base_offset, kIndexSuffix), base_offset),
      time_index_(segment_path(dir, base_offset, kTimeIndexSuffix), base_offset) {
  next_offset_.store(base_offset, std::memory_order_relaxed);
}

std::shared_ptr<Segment> Segment::create(const std::filesystem::path& dir, std::int64_t base_offset,
                                         std::int64_t index_max_bytes, std::int64_t now_ms) {
  auto log = std::make_shared<LogFile>();
  log->path = segment_path(dir, base_offset, kLogSuffix);
  log->fd = plugin_common::open_file(log->path, O_RDWR | O_CREAT);
  if (plugin_common::file_size(log->fd.get(), log->path) != 0) {
    throw std::runtime_error("cannot create segment " + log->path.string() + ": it exists");
  }
  auto segment = std::make_shared<Segment>(base_offset, std::move(log), dir);
  for (IndexFile* index : {&segment->offset_index_.file(), &segment->time_index_.file()}) {
    plugin_common::remove_file(index->path());
    index->load();
    index->make_writable(index_max_bytes);
  }
  segment->created_ms_ = now_ms;
  return segment;
}

std::shared_ptr<Segment> Segment::open(const std::filesystem::path& dir, std::int64_t base_offset,
                                       std::shared_ptr<LogFile> log, const SegmentState& state,
                                       std::size_t offset_entries, std::size_t time_entries,
                                       bool active, std::int64_t index_max_bytes,
                                       std::int64_t now_ms) {
  auto segment = std::make_shared<Segment>(base_offset, std::move(log), dir);
  // Indexes of a closed segment were made durable when it was sealed and
  // flushed, rebuilt or compacted: mapped, their descriptors are closed.
  segment->offset_index_.file().load(active);
  segment->offset_index_.file().set_entries(offset_entries);
  segment->time_index_.file().load(active);
  segment->time_index_.file().set_entries(time_entries);
  if (active) {
    segment->offset_index_.file().make_writable(index_max_bytes);
    segment->time_index_.file().make_writable(index_max_bytes);
  }
  segment->size_.store(state.size, std::memory_order_relaxed);
  segment->next_offset_.store(state.next_offset, std::memory_order_relaxed);
  segment->max_timestamp_.store(state.max_timestamp, std::memory_order_relaxed);
  segment->max_timestamp_offset_ = state.max_timestamp_offset;
  segment->first_batch_timestamp_ = state.first_batch_timestamp;
  segment->bytes_since_index_ = state.bytes_since_index;
  segment->created_ms_ = now_ms;
  return segment;
}

std::optional<Located> Segment::locate(std::int64_t offset, std::int64_t limit,
                                       LogReader& reader) const {
  // Batches before the floor entry end before its base offset <= `offset`.
  std::int64_t position = offset_index_.floor(offset, limit - 1).position;
  while (position < limit) {
    auto h = reader.header(position);
    if (!h || h->total_size() > limit - position) break;
    if (h->last_offset() >= offset) return Located{position, *h};
    position += h->total_size();
  }
  return std::nullopt;
}

std::int64_t Segment::extend_run(std::int64_t first_end, std::int64_t limit_position,
                                 std::int64_t max_offset, LogReader& reader) const {
  std::int64_t limit = std::min(limit_position, reader.end());
  std::int64_t end = first_end;
  if (end >= limit) return end;
  // Every batch before an index entry whose base offset is <= max_offset
  // ends before it with a smaller last offset: jump there, then walk.
  if (auto e = offset_index_.last_within(max_offset, limit); e && e->position > end) {
    end = e->position;
  }
  while (end < limit) {
    auto h = reader.header(end);
    if (!h || h->total_size() > limit - end || h->last_offset() >= max_offset) break;
    end += h->total_size();
  }
  return end;
}

std::optional<Located> Segment::find_timestamp(std::int64_t timestamp, std::int64_t min_offset,
                                               LogReader& reader) const {
  // Batches up to the last entry below `timestamp` all have smaller timestamps.
  std::int64_t from = base_;
  if (auto t = time_index_.last_before(timestamp)) from = t->offset;
  from = std::max(from, min_offset);
  auto found = locate(from, reader.end(), reader);
  if (!found) return std::nullopt;
  std::int64_t position = found->position;
  while (position < reader.end()) {
    auto h = reader.header(position);
    if (!h || h->total_size() > reader.end() - position) break;
    if (h->max_timestamp >= timestamp && h->last_offset() >= min_offset) {
      return Located{position, *h};
    }
    position += h->total_size();
  }
  return std::nullopt;
}

void Segment::append(std::span<const std::uint8_t> batches, std::int32_t index_interval_bytes) {
  std::int64_t start = size_.load(std::memory_order_relaxed);
  plugin_common::write_all_at(log_->fd.get(), batches, start, log_->path);

  std::int64_t next = next_offset_.load(std::memory_order_relaxed);
  std::int64_t max_ts = max_timestamp_.load(std::memory_order_relaxed);
  std::size_t at = 0;
  while (at < batches.size()) {
    auto h = *rb::parse_header(batches.subspan(at));  // checked by the caller
    std::int64_t position = start + static_cast<std::int64_t>(at);
    if (position == 0) first_batch_timestamp_ = h.max_timestamp;
    if (h.max_timestamp > max_ts) {
      max_ts = h.max_timestamp;
      max_timestamp_offset_ = h.base_offset;
    }
    if (bytes_since_index_ > index_interval_bytes) {
      // A full index skips the entry (still correct, only sparser); the
      // partition rolls before the next append.
      offset_index_.append(h.base_offset, position);
      if (max_ts >= 0) time_index_.maybe_append(max_ts, max_timestamp_offset_);
      bytes_since_index_ = 0;
    }
    bytes_since_index_ += h.total_size();
    next = h.last_offset() + 1;
    at += static_cast<std::size_t>(h.total_size());
  }
  max_timestamp_.store(max_ts, std::memory_order_release);
  next_offset_.store(next, std::memory_order_release);
  size_.store(start + static_cast<std::int64_t>(batches.size()), std::memory_order_release);
}

void Segment::seal() {
  std::int64_t max_ts = max_timestamp_.load(std::memory_order_relaxed);
  if (max_ts >= 0) time_index_.maybe_append(max_ts, max_timestamp_offset_);
  offset_index_.file().seal();
  time_index_.file().seal();
}

void Segment::flush() {
  plugin_common::sync_data(log_->fd.get(), log_->path);
  offset_index_.file().sync();
  time_index_.file().sync();
}

std::vector<std::filesystem::path> Segment::rename_for_delete() {
  std::vector<std::filesystem::path> out;
  const std::filesystem::path* paths[] = {&log_->path, &offset_index_.file().path(),
                                          &time_index_.file().path()};
  for (const std::filesystem::path* p : paths) {
    std::filesystem::path target = *p;
    target += kDeletedSuffix;
    std::error_code ec;
    std::filesystem::rename(*p, target, ec);
    if (!ec) out.push_back(std::move(target));
  }
  return out;
}

}  // namespace brokkr::segment
