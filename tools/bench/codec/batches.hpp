// Frames corpus records the way a producer fills a batch: each 1 KiB record
// in Kafka's v2 record encoding (length, attributes, timestamp and offset
// deltas, null key, value, no headers), records added while the records
// section stays within `batch_bytes` (the producer's batch.size; a batch
// always takes at least one record). What a codec compresses is one batch's
// records section, so that is what the benchmark hands it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace brokkr::bench {

std::vector<std::vector<std::uint8_t>> producer_batches(std::span<const std::uint8_t> corpus,
                                                        std::size_t batch_bytes);

}  // namespace brokkr::bench
