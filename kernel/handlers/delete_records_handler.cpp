#include "handlers/delete_records_handler.hpp"

#include "handlers/partition_lookup.hpp"
#include "logging/logging.hpp"
#include "protocol/generated/delete_records_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::DeleteRecordsResponse;
using protocol::ErrorCode;

constexpr std::int64_t kHighWatermark = -1;

// Deletes the records of one partition before `offset`; returns the error,
// and the new low watermark through `low_watermark`.
ErrorCode delete_before(partition::Partition& partition, std::int64_t offset, std::int64_t& low_watermark) {
  // Kafka refuses on topics without the delete cleanup policy.
  if (!partition.settings().log.remove) return ErrorCode::policy_violation;
  std::int64_t high_watermark = partition.high_watermark();
  if (offset == kHighWatermark) offset = high_watermark;
  if (offset < 0 || offset > high_watermark) return ErrorCode::offset_out_of_range;
  if (offset > partition.log_start_offset()) partition.log().advance_start_offset(offset);
  low_watermark = partition.log_start_offset();
  return ErrorCode::none;
}

}  // namespace

void DeleteRecordsHandler::handle(const RequestContext& context, protocol::DeleteRecordsRequest request,
                                  ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  DeleteRecordsResponse response;
  for (const auto& topic : request.topics) {
    DeleteRecordsResponse::DeleteRecordsTopicResult topic_result;
    topic_result.name = topic.name;
    for (const auto& p : topic.partitions) {
      DeleteRecordsResponse::DeleteRecordsPartitionResult result;
      result.partition_index = p.partition_index;
      result.low_watermark = -1;
      auto found = lookup_leader(*snapshot, partitions_, topic.name, p.partition_index);
      ErrorCode error = found.error;
      if (error == ErrorCode::none) {
        try {
          error = delete_before(*found.partition, p.offset, result.low_watermark);
        } catch (const std::exception& e) {
          logging::get("storage")->error("DeleteRecords {}-{} before {}: {}", topic.name, p.partition_index,
                                         p.offset, e.what());
          error = ErrorCode::kafka_storage_error;
        }
      }
      result.error_code = protocol::code(error);
      topic_result.partitions.push_back(result);
    }
    response.topics.push_back(std::move(topic_result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
