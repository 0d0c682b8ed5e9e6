// LZ4 in message format v0: Kafka's first LZ4 code computed the frame's
// header checksum over the wrong bytes (KAFKA-3160), and clients keep
// writing it that way for magic 0 so that old brokers can read it. Kafka
// ignores that checksum for magic 0; here it is recomputed so that the
// codec plugin (which checks it, as liblz4 does) reads the frame.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace brokkr::partition {

// `frame` with its header checksum set right; unchanged when it is not an
// LZ4 frame (the codec reports that).
std::vector<std::uint8_t> with_fixed_lz4_header_checksum(std::span<const std::uint8_t> frame);

}  // namespace brokkr::partition
