#include "segment_scan.hpp"

#include <vector>

#include "segment_files.hpp"

namespace brokkr::segment {

void IndexAccumulator::add(std::int64_t position, const sdk::record_batch::BatchHeader& h) {
  if (position == 0) state_.first_batch_timestamp = h.max_timestamp;
  if (h.max_timestamp > state_.max_timestamp) {
    state_.max_timestamp = h.max_timestamp;
    state_.max_timestamp_offset = h.base_offset;
  }
  if (state_.bytes_since_index > interval_) {
    indexes_.add_offset(h.base_offset - base_, position);
    if (state_.max_timestamp >= 0) {
      indexes_.add_time(state_.max_timestamp, state_.max_timestamp_offset - base_);
    }
    state_.bytes_since_index = 0;
  }
  state_.bytes_since_index += h.total_size();
  state_.next_offset = h.last_offset() + 1;
  state_.size = position + h.total_size();
}

void IndexAccumulator::finish() {
  if (state_.max_timestamp >= 0) {
    indexes_.add_time(state_.max_timestamp, state_.max_timestamp_offset - base_);
  }
}

ScanOutcome scan_segment(const LogFile& log, std::int64_t base_offset, std::int64_t file_size,
                         std::int32_t index_interval_bytes, bool verify_crc) {
  std::vector<std::uint8_t> buffer(1 << 20);
  LogReader reader(log.fd.get(), log.path, file_size, buffer);
  IndexAccumulator acc(base_offset, index_interval_bytes);
  ScanOutcome out;
  std::int64_t position = 0;
  std::int64_t previous_last = base_offset - 1;
  while (position < file_size) {
    BatchCheck check = check_batch(reader, position, previous_last, verify_crc);
    if (!check.header) {
      out.problem = std::move(check.problem);
      break;
    }
    acc.add(position, *check.header);
    previous_last = check.header->last_offset();
    position += check.header->total_size();
    ++out.batches;
  }
  acc.finish();
  out.state = acc.state();
  out.state.size = position;
  out.indexes = std::move(acc.indexes());
  return out;
}

void write_index_files(const std::filesystem::path& dir, std::int64_t base_offset,
                       const IndexBuilder& indexes, const char* extra_suffix) {
  auto index = segment_path(dir, base_offset, kIndexSuffix);
  index += extra_suffix;
  auto time_index = segment_path(dir, base_offset, kTimeIndexSuffix);
  time_index += extra_suffix;
  plugin_common::atomic_write_file(index, indexes.offset_bytes);
  plugin_common::atomic_write_file(time_index, indexes.time_bytes);
}

}  // namespace brokkr::segment
