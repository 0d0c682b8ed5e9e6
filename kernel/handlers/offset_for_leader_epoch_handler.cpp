#include "handlers/offset_for_leader_epoch_handler.hpp"

#include "handlers/partition_lookup.hpp"
#include "protocol/generated/offset_for_leader_epoch_response.hpp"

namespace brokkr::handlers {

using protocol::ErrorCode;
using protocol::OffsetForLeaderEpochResponse;

void OffsetForLeaderEpochHandler::handle(const RequestContext& context,
                                         protocol::OffsetForLeaderEpochRequest request,
                                         ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  OffsetForLeaderEpochResponse response;
  for (const auto& topic : request.topics) {
    OffsetForLeaderEpochResponse::OffsetForLeaderTopicResult topic_result;
    topic_result.topic = topic.topic;
    for (const auto& p : topic.partitions) {
      OffsetForLeaderEpochResponse::EpochEndOffset out;
      out.partition = p.partition;
      auto found = lookup_leader(*snapshot, partitions_, topic.topic, p.partition, p.current_leader_epoch);
      if (found.error != ErrorCode::none) {
        out.error_code = protocol::code(found.error);
      } else if (auto end = found.partition->log().end_offset_for_epoch(p.leader_epoch)) {
        out.leader_epoch = end->first;
        out.end_offset = end->second;
      }
      topic_result.partitions.push_back(out);
    }
    response.topics.push_back(std::move(topic_result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
