#include "handlers/offset_commit_handler.hpp"

#include "handlers/group_offsets_common.hpp"
#include "protocol/generated/offset_commit_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::ErrorCode;
using protocol::OffsetCommitRequest;
using protocol::OffsetCommitResponse;

// The answer in the request's order, each partition with its error.
OffsetCommitResponse to_response(const OffsetCommitRequest& request, const groups::CommitResult& errors) {
  OffsetCommitResponse out;
  for (const auto& topic : request.topics) {
    OffsetCommitResponse::OffsetCommitResponseTopic t;
    t.name = topic.name;
    for (const auto& p : topic.partitions) {
      OffsetCommitResponse::OffsetCommitResponsePartition r;
      r.partition_index = p.partition_index;
      auto it = errors.find({topic.name, p.partition_index});
      r.error_code = protocol::code(it == errors.end() ? ErrorCode::unknown_server_error : it->second);
      t.partitions.push_back(r);
    }
    out.topics.push_back(std::move(t));
  }
  return out;
}

}  // namespace

void OffsetCommitHandler::handle(const RequestContext& context, OffsetCommitRequest request,
                                 ResponseWriter respond) {
  std::int16_t version = context.api_version;
  auto snapshot = metadata_.snapshot();
  groups::CommitResult refused;
  groups::CommitRequest commit;
  commit.group_id = request.group_id;
  commit.generation = version >= 1 ? request.generation_id_or_member_epoch : -1;
  commit.member_id = request.member_id;
  commit.group_instance_id = request.group_instance_id;
  commit.retention_time_ms = version >= 2 && version <= 4 ? request.retention_time_ms : -1;
  commit.api_version = version;  // a KIP-848 member must commit with v9+
  for (const auto& topic : request.topics) {
    for (const auto& p : topic.partitions) {
      if (!partition_exists(*snapshot, topic.name, p.partition_index)) {
        refused[{topic.name, p.partition_index}] = ErrorCode::unknown_topic_or_partition;
        continue;
      }
      groups::OffsetToCommit o;
      o.partition = {topic.name, p.partition_index};
      o.offset = p.committed_offset;
      o.leader_epoch = version >= 6 ? p.committed_leader_epoch : -1;
      o.metadata = p.committed_metadata;
      o.commit_timestamp_ms = version == 1 ? p.commit_timestamp : -1;
      commit.offsets.push_back(std::move(o));
    }
  }
  if (commit.offsets.empty()) return respond.send(to_response(request, refused));
  auto shared = std::make_shared<OffsetCommitRequest>(std::move(request));
  coordinator_.commit_offsets(std::move(commit), [respond, shared, refused](groups::CommitResult result) mutable {
    result.insert(refused.begin(), refused.end());
    respond.send(to_response(*shared, result));
  });
}

}  // namespace brokkr::handlers
