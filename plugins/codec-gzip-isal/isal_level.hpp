// Kafka's gzip level (compression.gzip.level, zlib's 1..9 scale) mapped onto
// ISA-L's four levels, with the size of the level buffer each one needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace brokkr::codecs {

struct IsalLevel {
  std::uint32_t level;       // ISA-L level, 0..3
  std::size_t buffer_bytes;  // level_buf size for that level (0 for level 0)
};

// kafka_level: nullopt or -1 (Kafka's default, zlib's 6), or 0..9. Anything
// else throws sdk::CodecError. `input_bytes` sizes the buffer: ISA-L keeps at
// most one token per input byte, so small batches get a smaller buffer.
IsalLevel isal_level_for(std::optional<int> kafka_level, std::size_t input_bytes);

}  // namespace brokkr::codecs
