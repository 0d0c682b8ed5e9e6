#include "handlers/sync_group_handler.hpp"

#include "protocol/generated/sync_group_response.hpp"

namespace brokkr::handlers {

void SyncGroupHandler::handle(const RequestContext& context, protocol::SyncGroupRequest request,
                              ResponseWriter respond) {
  std::int16_t version = context.api_version;
  auto send = [respond, version](groups::SyncResult r) mutable {
    protocol::SyncGroupResponse out;
    out.error_code = protocol::code(r.error);
    if (version >= 5) {
      out.protocol_type = std::move(r.protocol_type);
      out.protocol_name = std::move(r.protocol_name);
    }
    out.assignment = std::move(r.assignment);
    respond.send(out);
  };
  // From v5 the client names the protocol type and name it synced for.
  if (version >= 5 && (!request.protocol_type || !request.protocol_name)) {
    return send(groups::SyncResult::failure(protocol::ErrorCode::inconsistent_group_protocol));
  }
  groups::SyncRequest sync;
  sync.group_id = std::move(request.group_id);
  sync.generation = request.generation_id;
  sync.member_id = std::move(request.member_id);
  sync.group_instance_id = std::move(request.group_instance_id);
  sync.protocol_type = std::move(request.protocol_type);
  sync.protocol_name = std::move(request.protocol_name);
  for (auto& a : request.assignments) sync.assignments[a.member_id] = std::move(a.assignment);
  coordinator_.sync_group(std::move(sync), std::move(send));
}

}  // namespace brokkr::handlers
