// The codec a topic stores its batches with (topic config compression.type
// and the compression.<codec>.level that goes with it).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "brokkr/sdk/codec.hpp"
#include "brokkr/sdk/record_batch.hpp"

namespace brokkr::partition {

struct CompressionTarget {
  sdk::CompressionType type = sdk::CompressionType::none;
  std::optional<int> level;  // nullopt: the codec's default

  bool operator==(const CompressionTarget&) const = default;
};

// nullopt for compression.type=producer (batches are stored as produced).
// `effective` holds every topic config (see config::effective_topic_configs).
std::optional<CompressionTarget> compression_target_from(const std::map<std::string, std::string>& effective);

// Appends the batch described by `header` re-encoded for `target`:
// `records` is its records section uncompressed, `codec` the target's codec
// (unused for none). Every other header field is kept. Throws
// sdk::CodecError when the codec fails.
void append_recompressed_batch(sdk::record_batch::BatchHeader header, std::span<const std::uint8_t> records,
                               const CompressionTarget& target, sdk::Codec* codec,
                               std::vector<std::uint8_t>& out);

}  // namespace brokkr::partition
