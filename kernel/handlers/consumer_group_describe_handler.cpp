#include "handlers/consumer_group_describe_handler.hpp"

#include "protocol/generated/consumer_group_describe_response.hpp"

namespace brokkr::handlers {

void ConsumerGroupDescribeHandler::handle(const RequestContext& /*context*/,
                                          protocol::ConsumerGroupDescribeRequest request, ResponseWriter respond) {
  protocol::ConsumerGroupDescribeResponse response;
  for (const auto& group_id : request.group_ids) {
    response.groups.push_back(groups_.describe(group_id, request.include_authorized_operations));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
