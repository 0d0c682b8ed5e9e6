// DescribeGroups (key 15), v0-5: state, protocol and members of groups.
#pragma once

#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/describe_groups_request.hpp"

namespace brokkr::handlers {

class DescribeGroupsHandler final : public TypedHandler<protocol::DescribeGroupsRequest> {
 public:
  explicit DescribeGroupsHandler(groups::GroupCoordinator& coordinator) : coordinator_(coordinator) {}
  const char* name() const override { return "DescribeGroups"; }

 protected:
  void handle(const RequestContext& context, protocol::DescribeGroupsRequest request, ResponseWriter respond) override;

 private:
  groups::GroupCoordinator& coordinator_;
};

}  // namespace brokkr::handlers
