#include "partition_loader.hpp"

#include <algorithm>
#include <optional>

#include <fcntl.h>

#include "plugin_common/file_util.hpp"
#include "segment_files.hpp"
#include "segment_scan.hpp"

namespace brokkr::segment {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Leftovers of interrupted work; returns the bases whose compaction output
// was committed (".log.swap") and is now in place: their indexes are stale.
std::vector<std::int64_t> clean_directory(const std::filesystem::path& dir) {
  std::vector<std::int64_t> swapped;
  std::vector<std::filesystem::path> entries;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) entries.push_back(entry.path());
  for (const auto& path : entries) {
    std::string name = path.filename().string();
    if (ends_with(name, kDeletedSuffix) || ends_with(name, kCleanedSuffix) || ends_with(name, ".tmp")) {
      plugin_common::remove_file(path);
    } else if (auto base = parse_segment_name(name, ".log.swap")) {
      plugin_common::rename_file(path, segment_path(dir, *base, kLogSuffix));
      swapped.push_back(*base);
    }
  }
  return swapped;
}

std::vector<std::int64_t> list_segments(const std::filesystem::path& dir) {
  std::vector<std::int64_t> bases;
  std::vector<std::filesystem::path> orphans;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (auto base = parse_segment_name(name, kLogSuffix)) bases.push_back(*base);
  }
  std::sort(bases.begin(), bases.end());
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    auto base = parse_segment_name(name, kIndexSuffix);
    if (!base) base = parse_segment_name(name, kTimeIndexSuffix);
    if (base && !std::binary_search(bases.begin(), bases.end(), *base)) orphans.push_back(entry.path());
  }
  for (const auto& path : orphans) plugin_common::remove_file(path);
  return bases;
}

std::shared_ptr<LogFile> open_log(const std::filesystem::path& dir, std::int64_t base) {
  auto log = std::make_shared<LogFile>();
  log->path = segment_path(dir, base, kLogSuffix);
  log->fd = plugin_common::open_file(log->path, O_RDWR);
  return log;
}

struct FastLoad {
  SegmentState state;
  std::size_t offset_entries = 0;
  std::size_t time_entries = 0;
};

// Trusts the indexes after checking them and walking the batch headers
// after the last offset entry; nullopt when anything does not add up.
std::optional<FastLoad> fast_load(const std::filesystem::path& dir, const LogFile& log,
                                  std::int64_t base, std::int64_t size) {
  OffsetIndex offsets(segment_path(dir, base, kIndexSuffix), base);
  TimeIndex times(segment_path(dir, base, kTimeIndexSuffix), base);
  if (!std::filesystem::exists(offsets.file().path()) || !std::filesystem::exists(times.file().path())) {
    return std::nullopt;
  }
  offsets.file().load();
  times.file().load();
  for (const IndexFile* f : {&offsets.file(), &times.file()}) {
    std::error_code ec;
    auto bytes = std::filesystem::file_size(f->path(), ec);
    if (ec || bytes % f->entry_size() != 0) return std::nullopt;
  }
  FastLoad out;
  out.offset_entries = offsets.entries();
  if (offsets.valid_prefix(size) != out.offset_entries) return std::nullopt;

  OffsetEntry last{base, 0};
  if (out.offset_entries > 0) last = offsets.at(out.offset_entries - 1);
  std::uint8_t buffer[64 * 1024];
  LogReader reader(log.fd.get(), log.path, size, buffer);
  std::int64_t position = last.position;
  std::int64_t previous_last = last.offset - 1;
  std::int64_t next = base;
  std::int64_t tail_max_timestamp = -1;
  while (position < size) {
    BatchCheck check = check_batch(reader, position, previous_last, false);
    if (!check.header) return std::nullopt;
    if (position == last.position && out.offset_entries > 0 && check.header->base_offset != last.offset) {
      return std::nullopt;
    }
    previous_last = check.header->last_offset();
    next = previous_last + 1;
    tail_max_timestamp = std::max(tail_max_timestamp, check.header->max_timestamp);
    position += check.header->total_size();
  }
  out.time_entries = times.entries();
  if (times.valid_prefix(next) != out.time_entries) return std::nullopt;
  // A sealed segment's last time entry holds its largest timestamp.
  auto last_time = times.last();
  if (tail_max_timestamp > (last_time ? last_time->timestamp : -1)) return std::nullopt;

  out.state.size = size;
  out.state.next_offset = next;
  if (auto t = times.last()) {
    out.state.max_timestamp = t->timestamp;
    out.state.max_timestamp_offset = t->offset;
  }
  if (auto h = reader.header(0)) out.state.first_batch_timestamp = h->max_timestamp;
  out.state.bytes_since_index = size - last.position;
  return out;
}

}  // namespace

void remove_segment_files(const std::filesystem::path& dir, std::int64_t base_offset) {
  for (const char* suffix : {kLogSuffix, kIndexSuffix, kTimeIndexSuffix}) {
    plugin_common::remove_file(segment_path(dir, base_offset, suffix));
  }
}

void delete_partition_dir(const std::filesystem::path& dir) {
  std::filesystem::path doomed = dir;
  doomed += kDeletedDirSuffix;
  std::error_code ec;
  std::filesystem::remove_all(doomed, ec);  // an older leftover of the same name
  plugin_common::rename_file(dir, doomed);
  plugin_common::sync_dir(dir.parent_path());
  std::filesystem::remove_all(doomed, ec);
}

LoadedPartition load_partition(const LoadContext& context) {
  const auto& dir = context.dir;
  std::filesystem::create_directories(dir);
  std::vector<std::int64_t> swapped = clean_directory(dir);
  std::vector<std::int64_t> bases = list_segments(dir);

  LoadedPartition out;
  out.state = read_partition_state(dir);
  const PartitionState original = out.state;
  PartitionState& state = out.state;

  // Segments wholly below the log start offset (their deletion was cut short).
  std::size_t first = 0;
  while (first + 1 < bases.size() && bases[first + 1] <= state.log_start_offset) {
    remove_segment_files(dir, bases[first]);
    ++first;
  }

  bool scanned_any = false;
  for (std::size_t i = first; i < bases.size(); ++i) {
    std::int64_t base = bases[i];
    bool last = i + 1 == bases.size();
    bool after_recovery_point = last || bases[i + 1] > state.recovery_point;
    bool was_swapped = std::find(swapped.begin(), swapped.end(), base) != swapped.end();
    auto log = open_log(dir, base);
    std::int64_t size = plugin_common::file_size(log->fd.get(), log->path);

    std::optional<FastLoad> fast;
    if (!was_swapped && (context.clean_shutdown || !after_recovery_point)) {
      fast = fast_load(dir, *log, base, size);
      if (!fast) {
        context.logger->warn("segment: partition " + context.name + ": indexes of segment " +
                             offset_file_stem(base) + " are damaged; rebuilding them");
      }
    }
    if (fast) {
      out.segments.push_back(Segment::open(dir, base, std::move(log), fast->state,
                                           fast->offset_entries, fast->time_entries, last,
                                           context.index_max_bytes, context.now_ms));
      continue;
    }

    ScanOutcome scan = scan_segment(*log, base, size, context.index_interval_bytes, true);
    out.batches_scanned += scan.batches;
    scanned_any = true;
    bool truncated = scan.state.size < size;
    if (truncated) {
      plugin_common::truncate_file(log->fd.get(), scan.state.size, log->path);
      for (std::size_t j = i + 1; j < bases.size(); ++j) remove_segment_files(dir, bases[j]);
      context.logger->warn("segment: recovered partition " + context.name +
                           ": invalid batch at offset " + std::to_string(scan.state.next_offset) +
                           ", byte position " + std::to_string(scan.state.size) + " of " +
                           log->path.filename().string() + " (" + scan.problem + "); truncated " +
                           std::to_string(size - scan.state.size) + " bytes and dropped " +
                           std::to_string(bases.size() - i - 1) + " later segment(s)");
      last = true;
    }
    write_index_files(dir, base, scan.indexes);
    out.segments.push_back(Segment::open(dir, base, std::move(log), scan.state,
                                         scan.indexes.offset_bytes.size() / kOffsetEntrySize,
                                         scan.indexes.time_bytes.size() / kTimeEntrySize, last,
                                         context.index_max_bytes, context.now_ms));
    if (truncated) break;
  }

  if (out.segments.empty()) {
    std::int64_t base = std::max<std::int64_t>(state.log_start_offset, 0);
    out.segments.push_back(Segment::create(dir, base, context.index_max_bytes, context.now_ms));
  }
  std::int64_t end = out.segments.back()->next_offset();
  state.log_start_offset =
      std::min(std::max(state.log_start_offset, out.segments.front()->base_offset()), end);
  if (scanned_any) {
    // What recovery read back is now the log: make it durable and start the
    // next recovery after it.
    for (const auto& segment : out.segments) {
      if (segment->next_offset() > state.recovery_point || segment == out.segments.back()) {
        segment->flush();
      }
    }
    plugin_common::sync_dir(dir);
    state.recovery_point = end;
  }
  state.recovery_point = std::min(state.recovery_point, end);
  state.cleaner_offset = std::min(state.cleaner_offset, end);
  if (state != original) write_partition_state(dir, state);
  return out;
}

}  // namespace brokkr::segment
