#include "handlers/alter_configs_handler.hpp"

#include <map>
#include <set>
#include <utility>

#include "protocol/generated/alter_configs_response.hpp"

namespace brokkr::handlers {

using protocol::AlterConfigsResponse;
using protocol::ErrorCode;

void AlterConfigsHandler::handle(const RequestContext& context, protocol::AlterConfigsRequest request,
                                 ResponseWriter respond) {
  std::map<std::pair<std::int8_t, std::string>, int> occurrences;
  for (const auto& r : request.resources) ++occurrences[{r.resource_type, r.resource_name}];

  AlterConfigsResponse response;
  std::set<std::pair<std::int8_t, std::string>> answered;
  for (const auto& resource : request.resources) {
    std::pair<std::int8_t, std::string> id{resource.resource_type, resource.resource_name};
    if (!answered.insert(id).second) continue;
    cluster::AdminResult outcome;
    if (occurrences[id] > 1) {
      outcome = {ErrorCode::invalid_request, "Duplicate resource."};
    } else {
      std::vector<cluster::ConfigChange> changes;
      for (const auto& c : resource.configs) {
        changes.push_back({c.name, static_cast<std::int8_t>(cluster::ConfigOperation::set), c.value});
      }
      outcome = admin_.alter_configs({resource.resource_type, resource.resource_name}, changes,
                                     /*incremental=*/false, request.validate_only);
    }
    AlterConfigsResponse::AlterConfigsResourceResponse result;
    result.resource_type = resource.resource_type;
    result.resource_name = resource.resource_name;
    result.error_code = protocol::code(outcome.error);
    result.error_message = outcome.ok() ? std::nullopt : std::optional<std::string>(outcome.message);
    response.responses.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
