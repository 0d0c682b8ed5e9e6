// ConsumerGroupHeartbeat (key 68), v0-v1: KIP-848 consumer group members
// join, heartbeat, receive their assignment and leave. The group logic is in
// groups/consumer/ConsumerGroupManager (regex subscriptions from v1); the
// answer goes out once the group's new state is durable.
#pragma once

#include "groups/consumer/consumer_group_manager.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/consumer_group_heartbeat_request.hpp"

namespace brokkr::handlers {

class ConsumerGroupHeartbeatHandler final : public TypedHandler<protocol::ConsumerGroupHeartbeatRequest> {
 public:
  explicit ConsumerGroupHeartbeatHandler(groups::consumer::ConsumerGroupManager& groups) : groups_(groups) {}
  const char* name() const override { return "ConsumerGroupHeartbeat"; }

 protected:
  void handle(const RequestContext& context, protocol::ConsumerGroupHeartbeatRequest request,
              ResponseWriter respond) override;

 private:
  groups::consumer::ConsumerGroupManager& groups_;
};

}  // namespace brokkr::handlers
