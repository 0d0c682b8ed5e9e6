#include "compactor.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <fcntl.h>

#include "batch_records.hpp"
#include "brokkr/sdk/records.hpp"
#include "plugin_common/file_util.hpp"
#include "segment_files.hpp"

namespace brokkr::segment {

namespace rb = sdk::record_batch;
namespace rec = sdk::records;

namespace {

// Reads the segment's batches one by one, whole, into a reused buffer.
class BatchWalker {
 public:
  explicit BatchWalker(const Segment& segment)
      : log_(*segment.log()), size_(segment.size()), reader_(log_.fd.get(), log_.path, size_, header_buf_) {}

  // Whether next() went through the whole segment (not stopped by damage).
  bool complete() const { return position_ == size_; }

  // The next batch, or an empty span at the end (or at a damaged batch).
  std::span<const std::uint8_t> next() {
    auto h = reader_.header(position_);
    if (!h || h->total_size() > size_ - position_ || h->batch_length < 49) return {};
    batch_.resize(static_cast<std::size_t>(h->total_size()));
    if (plugin_common::read_at(log_.fd.get(), batch_, position_, log_.path) != batch_.size()) return {};
    position_ += h->total_size();
    return batch_;
  }

 private:
  const LogFile& log_;
  std::int64_t size_;
  std::uint8_t header_buf_[64 * 1024];
  LogReader reader_;
  std::int64_t position_ = 0;
  std::vector<std::uint8_t> batch_;
};

bool rewritable(const rb::BatchHeader& h) { return !h.control() && !h.transactional(); }

std::string_view as_view(std::span<const std::uint8_t> s) {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

void put_varlong(std::vector<std::uint8_t>& out, std::int64_t v) {
  auto z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  while (z >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(z | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(z));
}

// A record re-encoded with a new timestamp delta, everything else copied.
void reencode_record(std::span<const std::uint8_t> raw, std::int64_t timestamp_delta,
                     std::vector<std::uint8_t>& out, std::vector<std::uint8_t>& scratch) {
  rec::Cursor c(raw);
  c.varint();                       // length
  auto attributes = c.take(1)[0];
  c.varlong();                      // old timestamp delta
  std::int32_t offset_delta = c.varint();
  auto rest = raw.subspan(c.position());
  scratch.clear();
  scratch.push_back(attributes);
  put_varlong(scratch, timestamp_delta);
  put_varlong(scratch, offset_delta);
  scratch.insert(scratch.end(), rest.begin(), rest.end());
  put_varlong(out, static_cast<std::int64_t>(scratch.size()));
  out.insert(out.end(), scratch.begin(), scratch.end());
}

struct KeptRecord {
  std::span<const std::uint8_t> raw;
  std::int64_t timestamp;
};

}  // namespace

void add_keys(const Segment& segment, const sdk::CodecAccess& codecs, KeyMap& map) {
  BatchWalker walker(segment);
  std::vector<std::uint8_t> decompressed;
  for (auto batch = walker.next(); !batch.empty(); batch = walker.next()) {
    auto h = *rb::parse_header(batch);
    if (!rewritable(h)) continue;
    auto records = batch_records(batch, h, codecs, decompressed);
    if (!records) continue;
    try {
      rec::Cursor cursor(*records);
      for (std::int32_t i = 0; i < h.record_count && !cursor.done(); ++i) {
        rec::Record r = rec::next_record(cursor);
        if (!r.key) continue;
        std::int64_t offset = h.base_offset + r.offset_delta;
        auto it = map.find(as_view(*r.key));
        if (it == map.end()) {
          map.emplace(std::string(as_view(*r.key)), offset);
        } else if (offset > it->second) {
          it->second = offset;
        }
      }
    } catch (const rec::RecordError&) {
      // A malformed batch contributes the keys read so far; it is kept as is.
    }
  }
}

CompactedSegment compact_segment(const std::filesystem::path& dir, const Segment& segment,
                                 const KeyMap& map, std::int64_t now_ms,
                                 std::int64_t delete_retention_ms,
                                 std::int32_t index_interval_bytes, const sdk::CodecAccess& codecs) {
  CompactedSegment out;
  std::int64_t base = segment.base_offset();
  out.log_path = segment_path(dir, base, kLogSuffix);
  out.log_path += kCleanedSuffix;

  // The output is streamed to the .cleaned file through a buffer. Nothing is
  // written until the first batch that changes: the unchanged prefix is then
  // copied over in one go, and a segment that is already compact costs reads
  // only.
  plugin_common::UniqueFd fd;
  bool started = false;
  std::int64_t written = 0;              // output bytes already in the file
  std::int64_t prefix = 0;               // unchanged leading bytes, before start
  std::vector<std::uint8_t> pending;     // output not yet written
  constexpr std::size_t kFlushBytes = 1 << 20;
  std::vector<std::uint8_t> rebuilt;     // one rewritten batch
  std::vector<std::uint8_t> scratch;
  std::vector<std::uint8_t> decompressed;  // records of a compressed batch
  std::vector<std::uint8_t> body;          // kept records, before compression
  std::vector<KeptRecord> kept;
  IndexAccumulator acc(base, index_interval_bytes);
  auto write_pending = [&] {
    plugin_common::write_all_at(fd.get(), pending, written, out.log_path);
    written += static_cast<std::int64_t>(pending.size());
    pending.clear();
  };
  auto start_output = [&] {
    if (started) return;
    started = true;
    out.changed = true;
    fd = plugin_common::open_file(out.log_path, O_WRONLY | O_CREAT | O_TRUNC);
    const LogFile& source = *segment.log();
    pending.resize(kFlushBytes);
    while (written < prefix) {
      auto n = static_cast<std::size_t>(std::min<std::int64_t>(prefix - written, kFlushBytes));
      if (plugin_common::read_at(source.fd.get(), std::span(pending).first(n), written, source.path) != n) {
        throw std::runtime_error("segment shrank while compacting: " + source.path.string());
      }
      plugin_common::write_all_at(fd.get(), std::span(pending).first(n), written, out.log_path);
      written += static_cast<std::int64_t>(n);
    }
    pending.clear();
  };
  auto emit = [&](std::span<const std::uint8_t> batch) {
    if (!started) {
      acc.add(prefix, *rb::parse_header(batch));
      prefix += static_cast<std::int64_t>(batch.size());
      return;
    }
    acc.add(written + static_cast<std::int64_t>(pending.size()), *rb::parse_header(batch));
    pending.insert(pending.end(), batch.begin(), batch.end());
    if (pending.size() >= kFlushBytes) write_pending();
  };
  auto note_horizon = [&](std::int64_t horizon) {
    if (out.earliest_horizon < 0 || horizon < out.earliest_horizon) out.earliest_horizon = horizon;
  };

  BatchWalker walker(segment);
  for (auto batch = walker.next(); !batch.empty(); batch = walker.next()) {
    auto h = *rb::parse_header(batch);
    auto records = rewritable(h) ? batch_records(batch, h, codecs, decompressed) : std::nullopt;
    if (!records) {
      emit(batch);
      continue;
    }
    bool has_horizon = h.attributes & rb::kDeleteHorizonBit;
    kept.clear();
    bool dropped = false, kept_tombstone = false;
    try {
      rec::Cursor cursor(*records);
      for (std::int32_t i = 0; i < h.record_count; ++i) {
        std::size_t start = cursor.position();
        rec::Record r = rec::next_record(cursor);
        std::int64_t offset = h.base_offset + r.offset_delta;
        std::int64_t timestamp = h.log_append_time() ? h.max_timestamp : h.base_timestamp + r.timestamp_delta;
        bool keep = r.key.has_value();  // the kernel refuses null keys; skip any anyway
        if (keep) {
          auto it = map.find(as_view(*r.key));
          if (it != map.end() && it->second > offset) keep = false;
        }
        if (keep && !r.value) {
          if (has_horizon && now_ms >= h.base_timestamp) {
            keep = false;
          } else {
            kept_tombstone = true;
          }
        }
        if (keep) {
          kept.push_back({records->subspan(start, r.encoded_size), timestamp});
        } else {
          dropped = true;
        }
      }
    } catch (const rec::RecordError&) {
      emit(batch);  // cannot be parsed: leave it alone
      continue;
    }

    bool set_horizon = kept_tombstone && !has_horizon;
    if (kept_tombstone) note_horizon(set_horizon ? now_ms + delete_retention_ms : h.base_timestamp);
    if (!dropped && !set_horizon) {
      emit(batch);
      continue;
    }
    start_output();
    if (kept.empty()) continue;  // the whole batch goes; its offsets become a gap

    std::int64_t base_timestamp = set_horizon ? now_ms + delete_retention_ms : h.base_timestamp;
    body.clear();
    std::int64_t max_timestamp = -1;
    for (const auto& k : kept) {
      max_timestamp = std::max(max_timestamp, k.timestamp);
      if (set_horizon && !h.log_append_time()) {
        reencode_record(k.raw, k.timestamp - base_timestamp, body, scratch);
      } else {
        body.insert(body.end(), k.raw.begin(), k.raw.end());
      }
    }
    rebuilt.assign(batch.begin(), batch.begin() + rb::kHeaderSize);
    if (sdk::Codec* codec = batch_codec(h, codecs)) {
      try {
        codec->compress(body, std::nullopt, rebuilt);
      } catch (const std::exception&) {
        emit(batch);  // cannot recompress: keep the batch whole
        continue;
      }
    } else {
      rebuilt.insert(rebuilt.end(), body.begin(), body.end());
    }
    std::span<std::uint8_t> view(rebuilt);
    rb::store_be(view.data() + rb::kBatchLengthPos, rebuilt.size() - rb::kLogOverhead, 4);
    rb::store_be(view.data() + rb::kRecordCountPos, kept.size(), 4);
    rb::store_be(view.data() + rb::kBaseTimestampPos, static_cast<std::uint64_t>(base_timestamp), 8);
    if (!h.log_append_time()) rb::set_max_timestamp(view, max_timestamp);
    if (set_horizon) rb::set_attributes(view, static_cast<std::int16_t>(h.attributes | rb::kDeleteHorizonBit));
    rb::update_crc(view);
    emit(view);
  }
  if (!walker.complete()) {
    // Something unreadable in the segment: copying only what came before it
    // would lose the rest. Leave the segment as it is.
    fd.reset();
    if (started) plugin_common::remove_file(out.log_path);
    return CompactedSegment{};
  }
  if (!out.changed) return out;

  acc.finish();
  write_pending();
  plugin_common::sync_data(fd.get(), out.log_path);
  fd.reset();
  out.result.state = acc.state();
  out.result.state.size = written;
  // A batch the compaction dropped at the end leaves a gap up to the next segment.
  out.result.state.next_offset = std::max(out.result.state.next_offset, base);
  out.result.indexes = std::move(acc.indexes());
  write_index_files(dir, base, out.result.indexes, kCleanedSuffix);
  return out;
}

}  // namespace brokkr::segment
