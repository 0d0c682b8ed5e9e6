#include "handlers/leave_group_handler.hpp"

#include "protocol/generated/leave_group_response.hpp"

namespace brokkr::handlers {

void LeaveGroupHandler::handle(const RequestContext& context, protocol::LeaveGroupRequest request,
                               ResponseWriter respond) {
  constexpr std::int16_t kBatchFrom = 3;
  std::vector<groups::LeavingMember> leaving;
  if (context.api_version < kBatchFrom) {
    leaving.push_back({request.member_id, std::nullopt, ""});
  } else {
    for (auto& m : request.members) {
      leaving.push_back({std::move(m.member_id), std::move(m.group_instance_id), m.reason.value_or("")});
    }
  }
  groups::LeaveResult result = coordinator_.leave_group(request.group_id, leaving);

  protocol::LeaveGroupResponse out;
  out.error_code = protocol::code(result.error);
  if (context.api_version < kBatchFrom) {
    // One member, no per-member list: its error is the answer.
    if (result.error == protocol::ErrorCode::none && !result.members.empty()) {
      out.error_code = protocol::code(result.members.front());
    }
  } else if (result.error == protocol::ErrorCode::none) {
    for (std::size_t i = 0; i < leaving.size() && i < result.members.size(); ++i) {
      protocol::LeaveGroupResponse::MemberResponse m;
      m.member_id = leaving[i].member_id;
      m.group_instance_id = leaving[i].group_instance_id;
      m.error_code = protocol::code(result.members[i]);
      out.members.push_back(std::move(m));
    }
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
