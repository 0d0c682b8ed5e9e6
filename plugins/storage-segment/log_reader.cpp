#include "log_reader.hpp"

#include <algorithm>

#include "brokkr/sdk/crc32c.hpp"
#include "plugin_common/file_util.hpp"

namespace brokkr::segment {

namespace rb = sdk::record_batch;

std::span<const std::uint8_t> LogReader::get(std::int64_t position, std::size_t length) {
  length = std::min(length, buffer_.size());
  if (position >= end_) return {};
  length = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(length), end_ - position));
  if (position < buffered_at_ ||
      position + static_cast<std::int64_t>(length) > buffered_at_ + static_cast<std::int64_t>(buffered_)) {
    std::size_t want = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(buffer_.size()), end_ - position));
    buffered_at_ = position;
    buffered_ = plugin_common::read_at(fd_, buffer_.first(want), position, path_);
    if (buffered_ < length) length = buffered_;
  }
  return std::span<const std::uint8_t>(buffer_).subspan(
      static_cast<std::size_t>(position - buffered_at_), length);
}

std::optional<rb::BatchHeader> LogReader::header(std::int64_t position) {
  return rb::parse_header(get(position, rb::kHeaderSize));
}

std::uint32_t LogReader::crc(std::int64_t from, std::int64_t to) {
  std::uint32_t crc = 0;
  while (from < to) {
    auto chunk = get(from, static_cast<std::size_t>(std::min<std::int64_t>(
                               to - from, static_cast<std::int64_t>(buffer_.size()))));
    if (chunk.empty()) break;
    crc = sdk::crc32c::extend(crc, chunk);
    from += static_cast<std::int64_t>(chunk.size());
  }
  return crc;
}

BatchCheck check_batch(LogReader& reader, std::int64_t position, std::int64_t previous_last_offset,
                       bool verify_crc) {
  BatchCheck out;
  auto h = reader.header(position);
  if (!h) {
    out.problem = "incomplete batch header";
    return out;
  }
  if (h->magic != 2) {
    out.problem = "magic " + std::to_string(h->magic);
  } else if (h->batch_length < kMinBatchLength) {
    out.problem = "batch length " + std::to_string(h->batch_length);
  } else if (h->total_size() > reader.end() - position) {
    out.problem = "batch of " + std::to_string(h->total_size()) + " bytes past the end of the file";
  } else if (h->base_offset <= previous_last_offset || h->last_offset_delta < 0) {
    out.problem = "offsets do not increase (base offset " + std::to_string(h->base_offset) + ")";
  } else if (verify_crc &&
             reader.crc(position + static_cast<std::int64_t>(rb::kAttributesPos),
                        position + h->total_size()) != h->crc) {
    out.problem = "CRC mismatch";
  }
  if (out.problem.empty()) out.header = h;
  return out;
}

}  // namespace brokkr::segment
