#include "handlers/describe_groups_handler.hpp"

#include "protocol/generated/describe_groups_response.hpp"

namespace brokkr::handlers {
namespace {

// READ, DELETE and DESCRIBE (AclOperation codes 3, 6, 8): what a group
// allows, reported when asked (v3+); there is no authorizer yet.
constexpr std::int32_t kGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

}  // namespace

void DescribeGroupsHandler::handle(const RequestContext& context, protocol::DescribeGroupsRequest request,
                                   ResponseWriter respond) {
  protocol::DescribeGroupsResponse out;
  for (const auto& id : request.groups) {
    groups::DescribedGroup d = coordinator_.describe_group(id);
    protocol::DescribeGroupsResponse::DescribedGroup g;
    g.error_code = protocol::code(d.error);
    g.group_id = id;
    g.group_state = std::move(d.state);
    g.protocol_type = std::move(d.protocol_type);
    g.protocol_data = std::move(d.protocol);
    for (auto& m : d.members) {
      protocol::DescribeGroupsResponse::DescribedGroupMember member;
      member.member_id = std::move(m.member_id);
      member.group_instance_id = std::move(m.group_instance_id);
      member.client_id = std::move(m.client_id);
      member.client_host = std::move(m.client_host);
      member.member_metadata = std::move(m.metadata);
      member.member_assignment = std::move(m.assignment);
      g.members.push_back(std::move(member));
    }
    if (context.api_version >= 3 && request.include_authorized_operations) g.authorized_operations = kGroupOperations;
    out.groups.push_back(std::move(g));
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
