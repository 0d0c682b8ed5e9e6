#include "handlers/alter_configs_handler.hpp"

#include "handlers/alter_config_resources.hpp"
#include "protocol/generated/alter_configs_response.hpp"

namespace brokkr::handlers {

using protocol::AlterConfigsResponse;

void AlterConfigsHandler::handle(const RequestContext& context, protocol::AlterConfigsRequest request,
                                 ResponseWriter respond) {
  auto response = alter_config_resources<AlterConfigsResponse>(
      admin_, request, /*incremental=*/false,
      [](const auto& c) { return cluster::ConfigChange{c.name, static_cast<std::int8_t>(cluster::ConfigOperation::set), c.value}; });
  respond.send(response);
}

}  // namespace brokkr::handlers
