// ListGroups (key 16), v0-5: every group with its protocol type (v4+:
// filtered by state, v5: by type; all groups here are classic).
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/list_groups_request.hpp"

namespace brokkr::handlers {

class ListGroupsHandler final : public TypedHandler<protocol::ListGroupsRequest> {
 public:
  explicit ListGroupsHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "ListGroups"; }

 protected:
  void handle(const RequestContext& context, protocol::ListGroupsRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
