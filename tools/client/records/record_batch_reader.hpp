// Decodes the records a Fetch returns: whole v2 batches, decompressed with
// the codec plugins, CRC-checked; a partial batch at the end (which brokers
// may send) is ignored, control batches are skipped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "records/record.hpp"

namespace brokkr::client {

struct DecodedRecords {
  std::vector<ConsumerRecord> records;
  // The offset after the last whole batch, control batches included: where
  // the next fetch starts even when every batch was skipped.
  std::int64_t next_offset = -1;
};

// Throws ClientError for a corrupt batch (bad CRC, bad lengths, a codec error).
DecodedRecords decode_record_batches(std::span<const std::uint8_t> bytes, const std::string& topic,
                                     std::int32_t partition, std::int64_t fetch_offset);

}  // namespace brokkr::client
