#include "handlers/create_partitions_handler.hpp"

#include <map>
#include <set>

#include "protocol/generated/create_partitions_response.hpp"

namespace brokkr::handlers {

using protocol::CreatePartitionsResponse;
using protocol::ErrorCode;

void CreatePartitionsHandler::handle(const RequestContext& context,
                                     protocol::CreatePartitionsRequest request, ResponseWriter respond) {
  std::map<std::string, int> occurrences;
  for (const auto& topic : request.topics) ++occurrences[topic.name];

  CreatePartitionsResponse response;
  std::set<std::string> answered;
  for (const auto& topic : request.topics) {
    if (!answered.insert(topic.name).second) continue;
    CreatePartitionsResponse::CreatePartitionsTopicResult result;
    result.name = topic.name;
    cluster::AdminResult outcome;
    if (occurrences[topic.name] > 1) {
      outcome = {ErrorCode::invalid_request, "Duplicate topic name."};
    } else {
      std::optional<std::vector<std::vector<std::int32_t>>> assignments;
      if (topic.assignments) {
        assignments.emplace();
        for (const auto& a : *topic.assignments) assignments->push_back(a.broker_ids);
      }
      outcome = admin_.create_partitions(topic.name, topic.count, assignments, request.validate_only);
    }
    result.error_code = protocol::code(outcome.error);
    if (!outcome.ok()) result.error_message = outcome.message;
    response.results.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
