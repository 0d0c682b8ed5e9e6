#include "handlers/offset_delete_handler.hpp"

#include "handlers/group_offsets_common.hpp"
#include "protocol/generated/offset_delete_response.hpp"

namespace brokkr::handlers {

using protocol::ErrorCode;
using protocol::OffsetDeleteResponse;

void OffsetDeleteHandler::handle(const RequestContext&, protocol::OffsetDeleteRequest request,
                                 ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  std::map<groups::TopicPartition, ErrorCode> errors;
  std::vector<groups::TopicPartition> known;
  for (const auto& t : request.topics) {
    for (const auto& p : t.partitions) {
      groups::TopicPartition tp{t.name, p.partition_index};
      if (partition_exists(*snapshot, t.name, p.partition_index)) {
        known.push_back(tp);
      } else {
        errors[tp] = ErrorCode::unknown_topic_or_partition;
      }
    }
  }
  auto result = coordinator_.delete_offsets(request.group_id, known);
  OffsetDeleteResponse out;
  out.error_code = protocol::code(result.error);
  // A group-level error answers without partitions, as Kafka does.
  if (result.error == ErrorCode::none) {
    errors.insert(result.partitions.begin(), result.partitions.end());
    for (const auto& t : request.topics) {
      OffsetDeleteResponse::OffsetDeleteResponseTopic topic;
      topic.name = t.name;
      for (const auto& p : t.partitions) {
        OffsetDeleteResponse::OffsetDeleteResponsePartition partition;
        partition.partition_index = p.partition_index;
        auto it = errors.find({t.name, p.partition_index});
        partition.error_code = protocol::code(it == errors.end() ? ErrorCode::none : it->second);
        topic.partitions.push_back(partition);
      }
      out.topics.push_back(std::move(topic));
    }
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
