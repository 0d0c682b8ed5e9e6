// OffsetFetch (key 9), v0-9: a group's committed offsets (-1 where none);
// v8+ asks for several groups at once.
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/offset_fetch_request.hpp"

namespace brokkr::handlers {

class OffsetFetchHandler final : public TypedHandler<protocol::OffsetFetchRequest> {
 public:
  explicit OffsetFetchHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "OffsetFetch"; }

 protected:
  void handle(const RequestContext& context, protocol::OffsetFetchRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
