// Reading record batch headers out of a segment's log file through a
// caller-provided buffer, so walking many small batches costs one pread per
// buffer rather than one per batch; and the batch checks of crash recovery.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "brokkr/sdk/record_batch.hpp"

namespace brokkr::segment {

class LogReader {
 public:
  // Reads [0, end) of `fd`; `buffer` must hold at least a batch header.
  LogReader(int fd, const std::filesystem::path& path, std::int64_t end,
            std::span<std::uint8_t> buffer)
      : fd_(fd), path_(path), end_(end), buffer_(buffer) {}

  std::int64_t end() const { return end_; }
  // Up to `length` (<= buffer size) bytes at `position`, shorter only at end().
  std::span<const std::uint8_t> get(std::int64_t position, std::size_t length);
  // The batch header at `position`; nullopt when fewer than a header's bytes
  // remain before end(). Checks nothing.
  std::optional<sdk::record_batch::BatchHeader> header(std::int64_t position);
  // CRC-32C of [from, to), read through the buffer.
  std::uint32_t crc(std::int64_t from, std::int64_t to);
  std::size_t buffer_size() const { return buffer_.size(); }

 private:
  int fd_;
  const std::filesystem::path& path_;
  std::int64_t end_;
  std::span<std::uint8_t> buffer_;
  std::int64_t buffered_at_ = 0;
  std::size_t buffered_ = 0;
};

// Smallest batch_length of a v2 batch: the header after the length field.
inline constexpr std::int32_t kMinBatchLength =
    static_cast<std::int32_t>(sdk::record_batch::kHeaderSize - sdk::record_batch::kLogOverhead);

// Checks the batch at `position` as crash recovery does: magic 2, a sane
// length that fits before end(), offsets after `previous_last_offset`, and
// (when `verify_crc`) a matching CRC-32C. Returns the header, or the reason.
struct BatchCheck {
  std::optional<sdk::record_batch::BatchHeader> header;
  std::string problem;  // empty when valid
};
BatchCheck check_batch(LogReader& reader, std::int64_t position, std::int64_t previous_last_offset,
                       bool verify_crc);

}  // namespace brokkr::segment
