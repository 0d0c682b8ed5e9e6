// Builds one magic-v2 record batch: records are encoded as they are added,
// the records section is compressed with a codec plugin on build().
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "brokkr/sdk/codec.hpp"
#include "records/record.hpp"

namespace brokkr::client {

class RecordBatchBuilder {
 public:
  RecordBatchBuilder(sdk::CompressionType compression, std::optional<int> level);

  // Adds a record; `timestamp` in ms since the epoch.
  void append(std::int64_t timestamp, const std::optional<std::string>& key,
              const std::optional<std::string>& value, const std::vector<RecordHeader>& headers);

  std::int32_t record_count() const { return count_; }
  // Uncompressed size so far (an upper bound of the batch for batch.size).
  std::size_t size_in_bytes() const { return records_.size() + 61; }
  bool empty() const { return count_ == 0; }

  // The whole batch (base offset 0, CRC set). Idempotent producers pass
  // their id, epoch and first sequence.
  std::vector<std::uint8_t> build(std::int64_t producer_id = -1, std::int16_t producer_epoch = -1,
                                  std::int32_t base_sequence = -1) const;

 private:
  sdk::CompressionType compression_;
  std::optional<int> level_;
  std::vector<std::uint8_t> records_;  // the uncompressed records section
  std::int32_t count_ = 0;
  std::int64_t first_timestamp_ = 0;
  std::int64_t max_timestamp_ = 0;
};

}  // namespace brokkr::client
