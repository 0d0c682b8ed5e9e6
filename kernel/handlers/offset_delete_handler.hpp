// OffsetDelete (key 47), v0: removes committed offsets of topics a group
// does not consume.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/offset_delete_request.hpp"

namespace brokkr::handlers {

class OffsetDeleteHandler final : public TypedHandler<protocol::OffsetDeleteRequest> {
 public:
  OffsetDeleteHandler(groups::GroupCoordinator& coordinator, const cluster::MetadataCache& metadata)
      : coordinator_(coordinator), metadata_(metadata) {}
  const char* name() const override { return "OffsetDelete"; }

 protected:
  void handle(const RequestContext& context, protocol::OffsetDeleteRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
  const cluster::MetadataCache& metadata_;
};

}  // namespace brokkr::handlers
