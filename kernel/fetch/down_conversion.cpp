#include "fetch/down_conversion.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace brokkr::fetch {
namespace {

// Appends `range` to `out`; false on an I/O error or a file shorter than
// the range (truncated under us).
bool read_range(const sdk::FileRange& range, std::vector<std::uint8_t>& out) {
  std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(range.length));
  std::int64_t done = 0;
  while (done < range.length) {
    ssize_t n = ::pread(range.fd, out.data() + at + done, static_cast<std::size_t>(range.length - done),
                        static_cast<off_t>(range.position + done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;  // the file ends before the range does
    if (n <= 0) return false;
    done += n;
  }
  return true;
}

}  // namespace

partition::ConversionResult read_as_message_set(const sdk::ReadResult& read, std::int8_t magic,
                                                std::int64_t fetch_offset, std::int64_t max_bytes,
                                                const partition::ConversionCodecs& codecs) {
  std::vector<std::uint8_t> stored;
  stored.reserve(static_cast<std::size_t>(read.total_bytes()));
  for (const auto& range : read.ranges) {
    if (!read_range(range, stored)) {
      partition::ConversionResult failed;
      failed.error = protocol::ErrorCode::kafka_storage_error;
      failed.message = std::string("reading the log failed: ") + std::strerror(errno);
      return failed;
    }
  }
  return partition::to_message_set(stored, magic, fetch_offset,
                                   static_cast<std::size_t>(std::max<std::int64_t>(max_bytes, 0)), codecs);
}

}  // namespace brokkr::fetch
