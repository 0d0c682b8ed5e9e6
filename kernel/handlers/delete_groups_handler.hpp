// DeleteGroups (key 42), v0-2: removes Empty groups and their offsets.
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/delete_groups_request.hpp"

namespace brokkr::handlers {

class DeleteGroupsHandler final : public TypedHandler<protocol::DeleteGroupsRequest> {
 public:
  explicit DeleteGroupsHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "DeleteGroups"; }

 protected:
  void handle(const RequestContext& context, protocol::DeleteGroupsRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
