// OffsetCommit (key 8), v0-9: stores a group's consumed positions;
// answered once they are durable. Unknown topics and partitions are refused
// here, as Kafka's request layer does.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/offset_commit_request.hpp"

namespace brokkr::handlers {

class OffsetCommitHandler final : public TypedHandler<protocol::OffsetCommitRequest> {
 public:
  OffsetCommitHandler(groups::GroupCoordinator& coordinator, const cluster::MetadataCache& metadata)
      : coordinator_(coordinator), metadata_(metadata) {}
  const char* name() const override { return "OffsetCommit"; }

 protected:
  void handle(const RequestContext& context, protocol::OffsetCommitRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
  const cluster::MetadataCache& metadata_;
};

}  // namespace brokkr::handlers
