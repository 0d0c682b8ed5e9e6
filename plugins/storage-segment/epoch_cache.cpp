#include "epoch_cache.hpp"

#include <algorithm>
#include <sstream>
#include <string>

#include "plugin_common/file_util.hpp"
#include "segment_files.hpp"

namespace brokkr::segment {

EpochCache::EpochCache(std::filesystem::path dir) : dir_(std::move(dir)) {
  auto text = plugin_common::read_whole_file(dir_ / kEpochFile);
  if (!text) return;
  std::istringstream in(*text);
  int version = -1;
  std::size_t count = 0;
  if (!(in >> version >> count) || version != 0) return;
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < count; ++i) {
    Entry e;
    if (!(in >> e.epoch >> e.start_offset)) return;
    if (!entries.empty() &&
        (e.epoch <= entries.back().epoch || e.start_offset < entries.back().start_offset)) {
      return;
    }
    entries.push_back(e);
  }
  entries_ = std::move(entries);
}

void EpochCache::persist_locked() {
  if (detached_) return;
  std::string text = "0\n" + std::to_string(entries_.size()) + "\n";
  for (const auto& e : entries_) {
    text += std::to_string(e.epoch) + " " + std::to_string(e.start_offset) + "\n";
  }
  plugin_common::atomic_write_file(dir_ / kEpochFile, text);
}

void EpochCache::assign(std::int32_t epoch, std::int64_t start_offset) {
  std::lock_guard lock(mutex_);
  if (!entries_.empty() && epoch <= entries_.back().epoch) return;
  while (!entries_.empty() && entries_.back().start_offset >= start_offset) entries_.pop_back();
  entries_.push_back({epoch, start_offset});
  persist_locked();
}

std::optional<std::pair<std::int32_t, std::int64_t>> EpochCache::end_offset_for(
    std::int32_t epoch, std::int64_t log_end_offset) const {
  std::lock_guard lock(mutex_);
  auto after = std::upper_bound(entries_.begin(), entries_.end(), epoch,
                                [](std::int32_t e, const Entry& x) { return e < x.epoch; });
  if (after == entries_.begin()) return std::nullopt;
  auto floor = std::prev(after);
  std::int64_t end = after == entries_.end() ? log_end_offset : after->start_offset;
  return std::pair{floor->epoch, end};
}

void EpochCache::truncate_from_end(std::int64_t end_offset) {
  std::lock_guard lock(mutex_);
  std::size_t before = entries_.size();
  while (!entries_.empty() && entries_.back().start_offset >= end_offset) entries_.pop_back();
  if (entries_.size() != before) persist_locked();
}

void EpochCache::truncate_from_start(std::int64_t start_offset) {
  std::lock_guard lock(mutex_);
  // The entries starting at or below the new start: keep the latest one.
  auto first_after = std::upper_bound(
      entries_.begin(), entries_.end(), start_offset,
      [](std::int64_t offset, const Entry& x) { return offset < x.start_offset; });
  if (first_after == entries_.begin()) return;
  auto latest = std::prev(first_after);
  if (latest == entries_.begin() && latest->start_offset == start_offset) return;
  Entry kept{latest->epoch, start_offset};
  entries_.erase(entries_.begin(), first_after);
  entries_.insert(entries_.begin(), kept);
  persist_locked();
}

std::vector<EpochCache::Entry> EpochCache::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

void EpochCache::detach() {
  std::lock_guard lock(mutex_);
  detached_ = true;
}

}  // namespace brokkr::segment
