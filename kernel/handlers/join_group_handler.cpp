#include "handlers/join_group_handler.hpp"

#include "protocol/generated/join_group_response.hpp"

namespace brokkr::handlers {
namespace {

protocol::JoinGroupResponse to_response(groups::JoinResult r, std::int16_t version) {
  protocol::JoinGroupResponse out;
  out.error_code = protocol::code(r.error);
  out.generation_id = r.generation;
  out.protocol_type = std::move(r.protocol_type);
  // Nullable from v7; before, "no protocol" is the empty string.
  out.protocol_name = version >= 7 ? std::move(r.protocol_name) : std::optional(r.protocol_name.value_or(""));
  out.leader = std::move(r.leader);
  out.skip_assignment = r.skip_assignment;
  out.member_id = std::move(r.member_id);
  for (auto& m : r.members) {
    protocol::JoinGroupResponse::JoinGroupResponseMember member;
    member.member_id = std::move(m.member_id);
    member.group_instance_id = std::move(m.group_instance_id);
    member.metadata = std::move(m.metadata);
    out.members.push_back(std::move(member));
  }
  return out;
}

}  // namespace

void JoinGroupHandler::handle(const RequestContext& context, protocol::JoinGroupRequest request,
                              ResponseWriter respond) {
  std::int16_t version = context.api_version;
  groups::JoinRequest join;
  join.group_id = std::move(request.group_id);
  join.member_id = std::move(request.member_id);
  join.group_instance_id = std::move(request.group_instance_id);
  join.require_known_member_id = version >= 4;
  join.support_skip_assignment = version >= 9;
  join.client_id = context.header.client_id.value_or("");
  join.client_host = "/" + context.connection.peer_host;  // Kafka prints the InetAddress
  join.session_timeout_ms = request.session_timeout_ms;
  // v0 has no rebalance timeout: the session timeout bounds the join phase.
  join.rebalance_timeout_ms = version == 0 ? request.session_timeout_ms : request.rebalance_timeout_ms;
  join.protocol_type = std::move(request.protocol_type);
  for (auto& p : request.protocols) join.protocols.push_back({std::move(p.name), std::move(p.metadata)});
  join.reason = request.reason.value_or("");
  coordinator_.join_group(std::move(join), [respond, version](groups::JoinResult result) mutable {
    respond.send(to_response(std::move(result), version));
  });
}

}  // namespace brokkr::handlers
