// JoinGroup (key 11), v0-9: joins a classic group; answered when the join
// phase of the rebalance ends (a delayed response).
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/join_group_request.hpp"

namespace brokkr::handlers {

class JoinGroupHandler final : public TypedHandler<protocol::JoinGroupRequest> {
 public:
  explicit JoinGroupHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "JoinGroup"; }

 protected:
  void handle(const RequestContext& context, protocol::JoinGroupRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
