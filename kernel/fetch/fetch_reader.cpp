#include "fetch/fetch_reader.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "fetch/down_conversion.hpp"
#include "handlers/partition_lookup.hpp"

namespace brokkr::fetch {
namespace {

using protocol::ErrorCode;
using protocol::FetchResponse;

struct Position {
  std::shared_ptr<partition::Partition> partition;
  ErrorCode error = ErrorCode::none;
  std::int64_t high_watermark = 0;
  std::int64_t log_start_offset = 0;
};

Position locate(const cluster::MetadataSnapshot& snapshot, partition::PartitionManager& partitions,
                const FetchKey& key, const FetchTarget& target) {
  Position pos;
  auto found = handlers::lookup_leader(snapshot, partitions, key.topic, key.partition,
                                       target.current_leader_epoch);
  if (found.error != ErrorCode::none) {
    pos.error = found.error;
    return pos;
  }
  pos.partition = found.partition;
  pos.high_watermark = found.partition->high_watermark();
  pos.log_start_offset = found.partition->log_start_offset();
  if (target.fetch_offset < pos.log_start_offset ||
      target.fetch_offset > found.partition->log_end_offset()) {
    pos.error = ErrorCode::offset_out_of_range;
  }
  return pos;
}

// Retention may move the log start between the offset check and the read:
// the storage engine then throws std::out_of_range, which is Kafka's
// OFFSET_OUT_OF_RANGE for the client.
std::optional<sdk::ReadResult> read_log(partition::Partition& partition, std::int64_t offset,
                                        std::int64_t max_bytes, std::int64_t max_offset) {
  try {
    return partition.log().read(offset, max_bytes, max_offset);
  } catch (const std::out_of_range&) {
    return std::nullopt;
  }
}

// Fetch v0-3: the read batches down-converted in memory; returns the bytes
// added. The limit applies to the converted messages (at least one goes out).
std::int64_t add_legacy_records(const sdk::ReadResult& read, partition::Partition& partition,
                                std::int64_t fetch_offset, std::int64_t limit, std::int8_t magic,
                                FetchResponse::PartitionData& data) {
  auto validation = partition.settings().validation;
  auto converted = read_as_message_set(read, magic, fetch_offset, limit,
                                       {validation.codecs, validation.max_decompressed_bytes});
  if (!converted.ok()) {
    data.error_code = protocol::code(converted.error);
    return 0;
  }
  auto size = static_cast<std::int64_t>(converted.bytes.size());
  data.records = protocol::Records(std::move(converted.bytes));
  return size;
}

}  // namespace

FetchReader::Available FetchReader::available(const std::map<FetchKey, FetchTarget>& targets,
                                              const FetchLimits& limits) const {
  Available out;
  for (const auto& [key, target] : targets) {
    Position pos = locate(snapshot_, partitions_, key, target);
    if (pos.error != ErrorCode::none) {
      out.error = true;
      continue;
    }
    if (target.fetch_offset < pos.high_watermark) {
      auto read = read_log(*pos.partition, target.fetch_offset, target.partition_max_bytes,
                           pos.high_watermark);
      if (!read) {
        out.error = true;
        continue;
      }
      out.bytes += read->total_bytes();
    }
    // An incremental session also reports watermark moves without data.
    if (limits.incremental && (pos.high_watermark != target.sent_high_watermark ||
                               pos.log_start_offset != target.sent_log_start_offset)) {
      out.bytes += 1;
    }
  }
  return out;
}

void FetchReader::read(std::map<FetchKey, FetchTarget>& targets, const FetchLimits& limits,
                       FetchResponse& response) const {
  std::int64_t budget = limits.max_bytes;
  bool sent_data = false;
  FetchResponse::FetchableTopicResponse* topic_entry = nullptr;

  for (auto& [key, target] : targets) {
    Position pos = locate(snapshot_, partitions_, key, target);
    FetchResponse::PartitionData data;
    data.partition_index = key.partition;
    data.error_code = protocol::code(pos.error);
    data.high_watermark = pos.error == ErrorCode::none || pos.error == ErrorCode::offset_out_of_range
                              ? pos.high_watermark
                              : -1;
    data.last_stable_offset = data.high_watermark;  // no transactions yet
    data.log_start_offset = pos.partition ? pos.log_start_offset : -1;
    data.records = protocol::Records::empty();

    if (pos.error == ErrorCode::none && target.fetch_offset < pos.high_watermark &&
        (budget > 0 || !sent_data)) {
      // KIP-74: the first batch goes out whole even past the limits, so a
      // consumer can always make progress.
      std::int64_t limit = std::min<std::int64_t>(target.partition_max_bytes, std::max<std::int64_t>(budget, 1));
      if (auto read = read_log(*pos.partition, target.fetch_offset, limit, pos.high_watermark)) {
        std::int64_t sent = 0;
        if (limits.legacy_magic) {
          sent = add_legacy_records(*read, *pos.partition, target.fetch_offset, limit, *limits.legacy_magic, data);
        } else {
          for (auto& range : read->ranges) {
            data.records.add_slice(protocol::FileSlice{range.fd, range.position, range.length, range.keep_alive});
          }
          sent = read->total_bytes();
        }
        budget -= sent;
        if (sent > 0) sent_data = true;
      } else {
        pos.error = ErrorCode::offset_out_of_range;
        data.error_code = protocol::code(pos.error);
        data.log_start_offset = pos.partition->log_start_offset();
      }
    }

    bool news = pos.error != ErrorCode::none || data.records.size() > 0 ||
                pos.high_watermark != target.sent_high_watermark ||
                pos.log_start_offset != target.sent_log_start_offset;
    target.sent_high_watermark = pos.high_watermark;
    target.sent_log_start_offset = pos.log_start_offset;
    if (limits.incremental && !news) continue;

    if (!topic_entry || topic_entry->topic != key.topic) {
      response.responses.emplace_back();
      topic_entry = &response.responses.back();
      topic_entry->topic = key.topic;
      topic_entry->topic_id = target.topic_id;
    }
    topic_entry->partitions.push_back(std::move(data));
  }
}

std::vector<std::shared_ptr<partition::Partition>> local_partitions(
    const std::map<FetchKey, FetchTarget>& targets, partition::PartitionManager& partitions) {
  std::vector<std::shared_ptr<partition::Partition>> out;
  for (const auto& [key, target] : targets) {
    if (auto p = partitions.get(key.topic, key.partition)) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace brokkr::fetch
