#include "handlers/consumer_group_heartbeat_handler.hpp"

namespace brokkr::handlers {

void ConsumerGroupHeartbeatHandler::handle(const RequestContext& context,
                                           protocol::ConsumerGroupHeartbeatRequest request, ResponseWriter respond) {
  // Kafka reports the client's address as Java's InetAddress prints it.
  groups::consumer::ConsumerGroupManager::ClientInfo client{context.header.client_id.value_or(""),
                                                            "/" + context.connection.peer_host};
  // Answered once what the heartbeat changed is in __consumer_offsets.
  groups_.heartbeat(request, client,
                    [respond](protocol::ConsumerGroupHeartbeatResponse response) mutable { respond.send(response); });
}

}  // namespace brokkr::handlers
