#include "handlers/create_partitions_handler.hpp"

#include "protocol/generated/create_partitions_response.hpp"

namespace brokkr::handlers {

void CreatePartitionsHandler::handle(const RequestContext& context,
                                     protocol::CreatePartitionsRequest request, ResponseWriter respond) {
  protocol::CreatePartitionsResponse response;
  for (const auto& topic : request.topics) {
    std::vector<std::vector<std::int32_t>> assignments;
    if (topic.assignments) {
      for (const auto& a : *topic.assignments) assignments.push_back(a.broker_ids);
    }
    auto outcome = admin_.create_partitions(topic.name, topic.count, assignments, request.validate_only);
    protocol::CreatePartitionsResponse::CreatePartitionsTopicResult result;
    result.name = topic.name;
    result.error_code = protocol::code(outcome.error);
    if (!outcome.ok()) result.error_message = outcome.message;
    response.results.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
