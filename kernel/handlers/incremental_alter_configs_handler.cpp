#include "handlers/incremental_alter_configs_handler.hpp"

#include "handlers/alter_config_resources.hpp"
#include "protocol/generated/incremental_alter_configs_response.hpp"

namespace brokkr::handlers {

using protocol::IncrementalAlterConfigsResponse;

void IncrementalAlterConfigsHandler::handle(const RequestContext& context,
                                            protocol::IncrementalAlterConfigsRequest request,
                                            ResponseWriter respond) {
  auto response = alter_config_resources<IncrementalAlterConfigsResponse>(
      admin_, request, /*incremental=*/true,
      [](const auto& c) { return cluster::ConfigChange{c.name, c.config_operation, c.value}; });
  respond.send(response);
}

}  // namespace brokkr::handlers
