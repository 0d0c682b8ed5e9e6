#include "indexes.hpp"

#include "brokkr/sdk/record_batch.hpp"

namespace brokkr::segment {

using sdk::record_batch::load_be;
using sdk::record_batch::store_be;

void OffsetIndex::encode(std::uint8_t* out, std::int64_t relative_offset, std::int64_t position) {
  store_be(out, static_cast<std::uint32_t>(relative_offset), 4);
  store_be(out + 4, static_cast<std::uint32_t>(position), 4);
}

OffsetEntry OffsetIndex::at(std::size_t i) const {
  const std::uint8_t* p = file_.entry(i);
  return {base_ + static_cast<std::int32_t>(load_be(p, 4)), static_cast<std::int32_t>(load_be(p + 4, 4))};
}

bool OffsetIndex::append(std::int64_t offset, std::int64_t position) {
  std::uint8_t entry[kOffsetEntrySize];
  encode(entry, offset - base_, position);
  return file_.append(entry);
}

std::optional<OffsetEntry> OffsetIndex::last_within(std::int64_t max_offset,
                                                    std::int64_t max_position) const {
  // Both fields increase, so the entries satisfying both bounds are a prefix.
  std::size_t lo = 0, hi = entries();
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    OffsetEntry e = at(mid);
    if (e.offset <= max_offset && e.position <= max_position) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return std::nullopt;
  return at(lo - 1);
}

OffsetEntry OffsetIndex::floor(std::int64_t offset, std::int64_t max_position) const {
  auto e = last_within(offset, max_position);
  return e ? *e : OffsetEntry{base_, 0};
}

std::size_t OffsetIndex::valid_prefix(std::int64_t log_size) const {
  std::size_t n = entries();
  std::int64_t prev_offset = base_ - 1, prev_position = -1;
  for (std::size_t i = 0; i < n; ++i) {
    OffsetEntry e = at(i);
    if (e.offset <= prev_offset || e.position <= prev_position || e.position >= log_size) return i;
    prev_offset = e.offset;
    prev_position = e.position;
  }
  return n;
}

void TimeIndex::encode(std::uint8_t* out, std::int64_t timestamp, std::int64_t relative_offset) {
  store_be(out, static_cast<std::uint64_t>(timestamp), 8);
  store_be(out + 8, static_cast<std::uint32_t>(relative_offset), 4);
}

TimeEntry TimeIndex::at(std::size_t i) const {
  const std::uint8_t* p = file_.entry(i);
  return {static_cast<std::int64_t>(load_be(p, 8)), base_ + static_cast<std::int32_t>(load_be(p + 8, 4))};
}

std::optional<TimeEntry> TimeIndex::last() const {
  std::size_t n = entries();
  if (n == 0) return std::nullopt;
  return at(n - 1);
}

bool TimeIndex::maybe_append(std::int64_t timestamp, std::int64_t offset) {
  auto tail = last();
  if (tail && timestamp <= tail->timestamp) return true;
  std::uint8_t entry[kTimeEntrySize];
  encode(entry, timestamp, offset - base_);
  return file_.append(entry);
}

std::optional<TimeEntry> TimeIndex::last_before(std::int64_t timestamp) const {
  std::size_t lo = 0, hi = entries();
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (at(mid).timestamp < timestamp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return std::nullopt;
  return at(lo - 1);
}

std::size_t TimeIndex::valid_prefix(std::int64_t next_offset) const {
  std::size_t n = entries();
  std::int64_t prev_ts = INT64_MIN, prev_offset = base_;
  for (std::size_t i = 0; i < n; ++i) {
    TimeEntry e = at(i);
    if (e.timestamp <= prev_ts || e.offset < prev_offset || e.offset >= next_offset) return i;
    prev_ts = e.timestamp;
    prev_offset = e.offset;
  }
  return n;
}

void IndexBuilder::add_offset(std::int64_t relative_offset, std::int64_t position) {
  std::size_t at = offset_bytes.size();
  offset_bytes.resize(at + kOffsetEntrySize);
  OffsetIndex::encode(offset_bytes.data() + at, relative_offset, position);
}

void IndexBuilder::add_time(std::int64_t timestamp, std::int64_t relative_offset) {
  if (timestamp <= last_time) return;
  last_time = timestamp;
  std::size_t at = time_bytes.size();
  time_bytes.resize(at + kTimeEntrySize);
  TimeIndex::encode(time_bytes.data() + at, timestamp, relative_offset);
}

}  // namespace brokkr::segment
