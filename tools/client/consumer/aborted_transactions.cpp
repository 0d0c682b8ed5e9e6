#include "consumer/aborted_transactions.hpp"

#include <algorithm>
#include <set>

#include "brokkr/sdk/record_batch.hpp"

namespace brokkr::client {

KeptBatches drop_aborted_batches(std::span<const std::uint8_t> bytes, std::vector<AbortedRange> aborted) {
  namespace rb = sdk::record_batch;
  std::sort(aborted.begin(), aborted.end(),
            [](const auto& a, const auto& b) { return a.first_offset < b.first_offset; });
  std::size_t next_aborted = 0;
  std::set<std::int64_t> aborting;  // producers inside an aborted transaction
  KeptBatches kept;
  kept.bytes.reserve(bytes.size());
  std::size_t pos = 0;
  while (bytes.size() - pos >= rb::kHeaderSize) {
    auto header = rb::parse_header(bytes.subspan(pos));
    if (header->batch_length < 0 || static_cast<std::size_t>(header->total_size()) > bytes.size() - pos) break;
    auto batch = bytes.subspan(pos, static_cast<std::size_t>(header->total_size()));
    pos += batch.size();
    kept.next_offset = header->last_offset() + 1;
    // Transactions that began at or before this batch become active.
    while (next_aborted < aborted.size() && aborted[next_aborted].first_offset <= header->last_offset()) {
      aborting.insert(aborted[next_aborted++].producer_id);
    }
    const bool in_aborted = header->producer_id >= 0 && aborting.count(header->producer_id) != 0;
    if (header->control()) {
      // The marker ending the producer's aborted transaction (a COMMIT marker
      // cannot follow an aborted first offset).
      if (in_aborted) aborting.erase(header->producer_id);
    } else if (header->transactional() && in_aborted) {
      continue;
    }
    kept.bytes.insert(kept.bytes.end(), batch.begin(), batch.end());
  }
  return kept;
}

}  // namespace brokkr::client
