// read_committed: drops the batches of aborted transactions from fetched
// bytes, using the aborted-transaction list of the Fetch response (the
// producer ids and first offsets of transactions aborted in the range).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace brokkr::client {

struct AbortedRange {
  std::int64_t producer_id = 0;
  std::int64_t first_offset = 0;
};

struct KeptBatches {
  std::vector<std::uint8_t> bytes;
  std::int64_t next_offset = -1;  // after the last whole batch, dropped ones included
};

// The whole batches of `bytes` minus the transactional batches of aborted
// transactions (the same rule as Kafka's consumer: a producer's batches are
// dropped from the aborted first offset until its ABORT marker).
KeptBatches drop_aborted_batches(std::span<const std::uint8_t> bytes, std::vector<AbortedRange> aborted);

}  // namespace brokkr::client
