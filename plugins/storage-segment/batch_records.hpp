// The records section of a stored batch, decompressed when the batch is
// compressed (compaction and timestamp lookups read inside batches).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "brokkr/sdk/record_batch.hpp"
#include "brokkr/sdk/storage.hpp"

namespace brokkr::segment {

// `batch` is a whole batch. Uncompressed: a view into it. Compressed: the
// records decompressed into `buffer`. nullopt when no codec for it is loaded
// or it does not decompress (the caller leaves such a batch alone).
std::optional<std::span<const std::uint8_t>> batch_records(std::span<const std::uint8_t> batch,
                                                           const sdk::record_batch::BatchHeader& header,
                                                           const sdk::CodecAccess& codecs,
                                                           std::vector<std::uint8_t>& buffer);

// The codec that compresses batches like `header`'s, nullptr for none.
sdk::Codec* batch_codec(const sdk::record_batch::BatchHeader& header, const sdk::CodecAccess& codecs);

}  // namespace brokkr::segment
