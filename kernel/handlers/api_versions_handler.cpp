#include "handlers/api_versions_handler.hpp"

#include "protocol/error_code.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/api_versions_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::ApiVersionsRequest;
using protocol::ApiVersionsResponse;

// Kafka's pattern for client software name and version (KIP-511):
// [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?
bool valid_software_token(const std::string& s) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::int16_t ApiVersionsHandler::api_key() const { return ApiVersionsRequest::kApiKey; }
std::int16_t ApiVersionsHandler::min_version() const { return ApiVersionsRequest::kLowestVersion; }
std::int16_t ApiVersionsHandler::max_version() const { return ApiVersionsRequest::kHighestVersion; }

void ApiVersionsHandler::handle(const RequestContext& context, protocol::WireReader& body,
                                ResponseWriter respond) {
  ApiVersionsResponse response;
  for (const auto& [key, handler] : registry_.all()) {
    ApiVersionsResponse::ApiVersion entry;
    entry.api_key = key;
    entry.min_version = handler->min_version();
    entry.max_version = handler->max_version();
    response.api_keys.push_back(entry);
  }

  // A client newer than us: tell it our ranges in a v0 body so it can pick
  // a version both sides know, and it retries.
  if (context.api_version > max_version()) {
    response.error_code = protocol::code(protocol::ErrorCode::unsupported_version);
    return respond.send_as(response, 0);
  }

  ApiVersionsRequest request;
  request.decode(body, context.api_version);
  if (context.api_version >= 3 && (!valid_software_token(request.client_software_name) ||
                                   !valid_software_token(request.client_software_version))) {
    response.error_code = protocol::code(protocol::ErrorCode::invalid_request);
    response.api_keys.clear();
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
