// LeaveGroup (key 13), v0-5: members leave (v3+: several, by member id
// or group.instance.id).
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/leave_group_request.hpp"

namespace brokkr::handlers {

class LeaveGroupHandler final : public TypedHandler<protocol::LeaveGroupRequest> {
 public:
  explicit LeaveGroupHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "LeaveGroup"; }

 protected:
  void handle(const RequestContext& context, protocol::LeaveGroupRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
