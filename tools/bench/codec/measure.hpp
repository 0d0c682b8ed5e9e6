// Times one codec at one level over a list of batches (one compress or
// decompress call per batch, as the broker makes them): the fastest of
// `passes` passes, so a busy neighbour on a shared machine shows less.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "brokkr/sdk/codec.hpp"

namespace brokkr::bench {

struct Measurement {
  double ratio = 0;            // uncompressed bytes / compressed bytes
  double compress_mb_s = 0;    // uncompressed MB (10^6 bytes) per second
  double decompress_mb_s = 0;  // likewise, uncompressed bytes produced
};

// Throws std::runtime_error if a batch does not round trip.
Measurement measure(sdk::Codec& codec, std::optional<int> level,
                    const std::vector<std::vector<std::uint8_t>>& batches, int passes);

}  // namespace brokkr::bench
