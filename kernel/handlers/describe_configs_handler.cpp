#include "handlers/describe_configs_handler.hpp"

#include <algorithm>

#include "protocol/generated/describe_configs_response.hpp"

namespace brokkr::handlers {

using protocol::DescribeConfigsResponse;

void DescribeConfigsHandler::handle(const RequestContext& context, protocol::DescribeConfigsRequest request,
                                    ResponseWriter respond) {
  const bool synonyms = context.api_version >= 1 && request.include_synonyms;
  const bool documentation = context.api_version >= 3 && request.include_documentation;
  DescribeConfigsResponse response;
  for (const auto& resource : request.resources) {
    DescribeConfigsResponse::DescribeConfigsResult result;
    result.resource_type = resource.resource_type;
    result.resource_name = resource.resource_name;
    result.error_message = std::nullopt;
    auto described = admin_.describe_configs({resource.resource_type, resource.resource_name});
    if (!described.result.ok()) {
      result.error_code = protocol::code(described.result.error);
      result.error_message = described.result.message;
      response.results.push_back(std::move(result));
      continue;
    }
    for (const auto& entry : described.entries) {
      if (resource.configuration_keys) {
        const auto& keys = *resource.configuration_keys;
        if (std::find(keys.begin(), keys.end(), entry.name) == keys.end()) continue;
      }
      DescribeConfigsResponse::DescribeConfigsResourceResult config;
      config.name = entry.name;
      config.value = entry.value;
      config.read_only = entry.read_only;
      config.is_default = entry.source == cluster::ConfigSource::default_config;
      config.config_source = static_cast<std::int8_t>(entry.source);
      config.is_sensitive = entry.sensitive;
      if (synonyms) {
        for (const auto& s : entry.synonyms) {
          DescribeConfigsResponse::DescribeConfigsSynonym synonym;
          synonym.name = s.name;
          synonym.value = s.value;
          synonym.source = static_cast<std::int8_t>(s.source);
          config.synonyms.push_back(std::move(synonym));
        }
      }
      config.config_type = static_cast<std::int8_t>(entry.type);
      if (documentation) {
        config.documentation = entry.documentation;
      } else {
        config.documentation = std::nullopt;
      }
      result.configs.push_back(std::move(config));
    }
    response.results.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
