#include "handlers/heartbeat_handler.hpp"

#include "protocol/generated/heartbeat_response.hpp"

namespace brokkr::handlers {

void HeartbeatHandler::handle(const RequestContext&, protocol::HeartbeatRequest request, ResponseWriter respond) {
  groups::HeartbeatRequest heartbeat;
  heartbeat.group_id = std::move(request.group_id);
  heartbeat.generation = request.generation_id;
  heartbeat.member_id = std::move(request.member_id);
  heartbeat.group_instance_id = std::move(request.group_instance_id);
  protocol::HeartbeatResponse out;
  out.error_code = protocol::code(coordinator_.heartbeat(heartbeat));
  respond.send(out);
}

}  // namespace brokkr::handlers
