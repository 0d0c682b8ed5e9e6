// SyncGroup (key 14), v0-5: the leader hands in the assignment, every
// member gets its part (answered once the leader's assignment is stored).
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/sync_group_request.hpp"

namespace brokkr::handlers {

class SyncGroupHandler final : public TypedHandler<protocol::SyncGroupRequest> {
 public:
  explicit SyncGroupHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "SyncGroup"; }

 protected:
  void handle(const RequestContext& context, protocol::SyncGroupRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
