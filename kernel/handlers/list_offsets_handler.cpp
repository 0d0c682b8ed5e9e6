#include "handlers/list_offsets_handler.hpp"

#include "handlers/partition_lookup.hpp"
#include "protocol/generated/list_offsets_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::ErrorCode;
using protocol::ListOffsetsResponse;
using PartitionResponse = ListOffsetsResponse::ListOffsetsPartitionResponse;

constexpr std::int64_t kLatest = -1;
constexpr std::int64_t kEarliest = -2;
constexpr std::int64_t kMaxTimestamp = -3;
constexpr std::int64_t kEarliestLocal = -4;
constexpr std::int64_t kLatestTiered = -5;

void answer(partition::Partition& partition, std::int64_t timestamp, PartitionResponse& out) {
  out.leader_epoch = partition.leader_epoch();
  out.timestamp = -1;
  switch (timestamp) {
    case kEarliest:
    case kEarliestLocal:
      out.offset = partition.log_start_offset();
      return;
    case kLatest:
      // Read-committed consumers stop at the last stable offset, which is
      // the high watermark while there are no transactions.
      out.offset = partition.high_watermark();
      return;
    case kLatestTiered:
      out.offset = -1;  // no tiered storage
      return;
    case kMaxTimestamp:
      if (auto found = partition.log().max_timestamp()) {
        out.offset = found->first;
        out.timestamp = found->second;
      } else {
        out.offset = -1;
      }
      return;
    default:
      if (timestamp < 0) {
        out.error_code = protocol::code(ErrorCode::invalid_request);
        return;
      }
      if (auto found = partition.log().offset_for_timestamp(timestamp);
          found && found->first < partition.high_watermark()) {
        out.offset = found->first;
        out.timestamp = found->second;
      } else {
        out.offset = -1;
      }
  }
}

// v0 asks for up to max_num_offsets offsets "before" a time. Kafka's old
// answer listed segment base offsets; clients ask for one and use it as
// the position to start from, which is what later versions answer: the
// log start (-2), the high watermark (-1), or the first offset with a
// timestamp >= t. So v0 gets that offset as a one-element list, or an
// empty list when there is none (or max_num_offsets < 1).
void answer_v0(std::int32_t max_num_offsets, PartitionResponse& out) {
  if (out.error_code == 0 && out.offset >= 0 && max_num_offsets >= 1) out.old_style_offsets = {out.offset};
}

}  // namespace

void ListOffsetsHandler::handle(const RequestContext& context, protocol::ListOffsetsRequest request,
                                ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  ListOffsetsResponse response;
  for (const auto& topic : request.topics) {
    ListOffsetsResponse::ListOffsetsTopicResponse topic_response;
    topic_response.name = topic.name;
    for (const auto& p : topic.partitions) {
      PartitionResponse out;
      out.partition_index = p.partition_index;
      auto found = lookup_leader(*snapshot, partitions_, topic.name, p.partition_index, p.current_leader_epoch);
      if (found.error != ErrorCode::none) {
        out.error_code = protocol::code(found.error);
      } else {
        answer(*found.partition, p.timestamp, out);
      }
      if (context.api_version == 0) answer_v0(p.max_num_offsets, out);
      topic_response.partitions.push_back(out);
    }
    response.topics.push_back(std::move(topic_response));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
