// What AlterConfigs and IncrementalAlterConfigs share: each resource is
// altered once (a resource named twice is refused with INVALID_REQUEST),
// through TopicAdmin, with one result per distinct resource.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cluster/topic_admin.hpp"
#include "protocol/error_code.hpp"

namespace brokkr::handlers {

// `to_change` turns one config entry of a resource into a cluster::ConfigChange.
template <typename Response, typename Request, typename ToChange>
Response alter_config_resources(cluster::TopicAdmin& admin, const Request& request, bool incremental,
                                ToChange to_change) {
  using ResourceId = std::pair<std::int8_t, std::string>;
  std::map<ResourceId, int> occurrences;
  for (const auto& r : request.resources) ++occurrences[{r.resource_type, r.resource_name}];

  Response response;
  std::set<ResourceId> answered;
  for (const auto& resource : request.resources) {
    ResourceId id{resource.resource_type, resource.resource_name};
    if (!answered.insert(id).second) continue;
    cluster::AdminResult outcome;
    if (occurrences[id] > 1) {
      outcome = {protocol::ErrorCode::invalid_request, "Duplicate resource."};
    } else {
      std::vector<cluster::ConfigChange> changes;
      for (const auto& c : resource.configs) changes.push_back(to_change(c));
      outcome = admin.alter_configs({resource.resource_type, resource.resource_name}, changes,
                                    incremental, request.validate_only);
    }
    typename decltype(response.responses)::value_type result;
    result.resource_type = resource.resource_type;
    result.resource_name = resource.resource_name;
    result.error_code = protocol::code(outcome.error);
    result.error_message = outcome.ok() ? std::nullopt : std::optional<std::string>(outcome.message);
    response.responses.push_back(std::move(result));
  }
  return response;
}

}  // namespace brokkr::handlers
