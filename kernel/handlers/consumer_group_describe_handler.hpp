// ConsumerGroupDescribe (key 69), v0: members, epochs, current and target
// assignments of KIP-848 consumer groups.
#pragma once

#include "groups/consumer/consumer_group_manager.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/consumer_group_describe_request.hpp"

namespace brokkr::handlers {

class ConsumerGroupDescribeHandler final : public TypedHandler<protocol::ConsumerGroupDescribeRequest> {
 public:
  explicit ConsumerGroupDescribeHandler(const groups::consumer::ConsumerGroupManager& groups) : groups_(groups) {}
  const char* name() const override { return "ConsumerGroupDescribe"; }

 protected:
  void handle(const RequestContext& context, protocol::ConsumerGroupDescribeRequest request,
              ResponseWriter respond) override;

 private:
  const groups::consumer::ConsumerGroupManager& groups_;
};

}  // namespace brokkr::handlers
