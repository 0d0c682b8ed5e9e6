// Record batches of __consumer_offsets: building the one batch a write
// appends, and reading the records back out of stored batches.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "brokkr/sdk/record_batch.hpp"
#include "partition/codec_set.hpp"

namespace brokkr::groups {

struct KeyValue {
  std::vector<std::uint8_t> key;
  std::optional<std::vector<std::uint8_t>> value;  // nullopt: tombstone
};

// One uncompressed magic-v2 batch (no producer id, CreateTime `now_ms`),
// base offset 0: the partition assigns the real one on append. Kafka's own
// coordinator writes the same shape (offsets.topic.compression.codec=none).
std::vector<std::uint8_t> build_offsets_batch(const std::vector<KeyValue>& records, std::int64_t now_ms);

// The records of one whole, CRC-checked batch: calls `on_record` with each
// record's offset, key and value (nullopt: null). Compressed batches are
// decompressed with `codecs`, bounded by `max_decompressed_bytes`. Throws
// std::runtime_error (sdk::records::RecordError, sdk::CodecError, ...) on a
// malformed batch or a codec that is not loaded.
using RecordCallback = std::function<void(std::int64_t offset, std::optional<std::span<const std::uint8_t>> key,
                                          std::optional<std::span<const std::uint8_t>> value)>;
void for_each_record(std::span<const std::uint8_t> batch, const sdk::record_batch::BatchHeader& header,
                     const partition::CodecSet* codecs, std::size_t max_decompressed_bytes,
                     const RecordCallback& on_record);

}  // namespace brokkr::groups
