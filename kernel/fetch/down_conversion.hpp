// Fetch v0-3: clients that only read message formats 0 and 1. The log's
// file ranges are read into memory (pread) and converted; only these old
// versions pay for the copy, v4+ stays zero copy (sendfile).
#pragma once

#include <cstdint>

#include "brokkr/sdk/storage.hpp"
#include "partition/message_format_conversion.hpp"

namespace brokkr::fetch {

// The legacy magic a Fetch version reads: 0 for v0-1, 1 for v2-3.
inline std::int8_t legacy_magic_for_fetch(std::int16_t version) { return version <= 1 ? 0 : 1; }

// The batches of `read` as a legacy message set (see
// partition::to_message_set). A failed pread is KAFKA_STORAGE_ERROR.
partition::ConversionResult read_as_message_set(const sdk::ReadResult& read, std::int8_t magic,
                                                std::int64_t fetch_offset, std::int64_t max_bytes,
                                                const partition::ConversionCodecs& codecs);

}  // namespace brokkr::fetch
