// Heartbeat (key 12), v0-4: keeps a member's session alive; tells it
// when a rebalance needs it to rejoin.
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/heartbeat_request.hpp"

namespace brokkr::handlers {

class HeartbeatHandler final : public TypedHandler<protocol::HeartbeatRequest> {
 public:
  explicit HeartbeatHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "Heartbeat"; }

 protected:
  void handle(const RequestContext& context, protocol::HeartbeatRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
