// Conversion between legacy message sets (magic 0 and 1, which Produce v0-2
// send and Fetch v0-3 read) and the record batches (magic 2) the log keeps.
//
// Up (produce): the whole message set becomes ONE v2 batch, as Kafka's
// LogValidator does, keeping the producer's codec and timestamps; it then
// goes through the normal batch validation like any v2 batch.
// Down (fetch): stored batches become uncompressed legacy messages with
// absolute offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "partition/codec_set.hpp"
#include "protocol/error_code.hpp"

namespace brokkr::partition {

// The loaded codecs and the bound on what one conversion may decompress in
// total (network.max_decompressed_batch_bytes, as batch validation uses).
struct ConversionCodecs {
  const CodecSet* codecs = nullptr;
  std::size_t max_decompressed_bytes = 256u << 20;
};

struct ConversionResult {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::string message;
  std::vector<std::uint8_t> bytes;  // the batch (up) or the message set (down)
  bool missing_codec = false;       // the error is a codec with no plugin loaded
  bool ok() const { return error == protocol::ErrorCode::none; }
};

// Produce v0-2: `message_set` (magic 0/1 messages, compressed wrappers
// unwrapped) as one v2 batch with base offset 0. Errors: CORRUPT_MESSAGE
// (truncated, lengths that lie, bad CRC, does not decompress, over the
// decompression bound), INVALID_RECORD (nested or empty wrappers, inner
// magic differs from its wrapper's), UNSUPPORTED_COMPRESSION_TYPE (zstd,
// which message format < 2 cannot carry, or a codec with no plugin),
// INVALID_TIMESTAMP (magic 1 timestamp below -1).
ConversionResult to_record_batch(std::span<const std::uint8_t> message_set, const ConversionCodecs& codecs);

// Fetch v0-3: the v2 batches in `batches` (whole batches, as the log
// returns them) as a legacy message set of `magic` (0 or 1) holding the
// records from `first_offset` on, up to `max_bytes` but always at least one
// whole message. Uncompressed on purpose: every legacy client reads it, and
// it avoids magic 0's broken LZ4 framing. Headers are dropped and control
// batches skipped (Kafka does the same). A zstd batch (clients below
// Fetch v10 cannot read zstd), a codec with no plugin or a batch that does
// not decompress ends the set there; if nothing came before it, that is
// the partition's error (UNSUPPORTED_COMPRESSION_TYPE / CORRUPT_MESSAGE).
ConversionResult to_message_set(std::span<const std::uint8_t> batches, std::int8_t magic,
                                std::int64_t first_offset, std::size_t max_bytes,
                                const ConversionCodecs& codecs);

}  // namespace brokkr::partition
