#include "handlers/describe_cluster_handler.hpp"

#include <limits>

#include "protocol/error_code.hpp"
#include "protocol/generated/describe_cluster_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::DescribeClusterResponse;

constexpr std::int8_t kBrokersEndpoint = 1;
constexpr std::int8_t kControllersEndpoint = 2;
// Kafka's MISMATCHED_ENDPOINT_TYPE and UNSUPPORTED_ENDPOINT_TYPE.
constexpr std::int16_t kMismatchedEndpointType = 114;
constexpr std::int16_t kUnsupportedEndpointType = 115;

// Kafka's AclOperation ids that apply to the CLUSTER resource: with no
// authorizer every one of them is allowed.
constexpr std::int32_t kClusterOperations =
    (1 << 5) /*CREATE*/ | (1 << 7) /*ALTER*/ | (1 << 8) /*DESCRIBE*/ | (1 << 9) /*CLUSTER_ACTION*/ |
    (1 << 10) /*DESCRIBE_CONFIGS*/ | (1 << 11) /*ALTER_CONFIGS*/ | (1 << 12) /*IDEMPOTENT_WRITE*/;

}  // namespace

void DescribeClusterHandler::handle(const RequestContext& context, protocol::DescribeClusterRequest request,
                                    ResponseWriter respond) {
  DescribeClusterResponse response;
  response.error_message = std::nullopt;
  if (context.api_version >= 1 && request.endpoint_type != kBrokersEndpoint) {
    // A broker describes brokers; controllers are asked on their own endpoints.
    response.endpoint_type = request.endpoint_type;
    if (request.endpoint_type == kControllersEndpoint) {
      response.error_code = kMismatchedEndpointType;
      response.error_message = "The request was sent to an endpoint of the wrong type.";
    } else {
      response.error_code = kUnsupportedEndpointType;
      response.error_message = "Unsupported endpoint type " + std::to_string(request.endpoint_type) + ".";
    }
    return respond.send(response);
  }

  auto snapshot = metadata_.snapshot();
  response.endpoint_type = kBrokersEndpoint;
  response.cluster_id = snapshot->cluster_id;
  response.controller_id = snapshot->controller_id.value_or(-1);
  // Brokers are listed with their endpoint on the listener the request came in on.
  for (const auto& broker : snapshot->brokers) {
    for (const auto& endpoint : broker.endpoints) {
      if (endpoint.listener_name != context.connection.listener_name) continue;
      DescribeClusterResponse::DescribeClusterBroker entry;
      entry.broker_id = broker.node_id;
      entry.host = endpoint.host;
      entry.port = endpoint.port;
      entry.rack = broker.rack;
      response.brokers.push_back(std::move(entry));
      break;
    }
  }
  response.cluster_authorized_operations = request.include_cluster_authorized_operations
                                               ? kClusterOperations
                                               : std::numeric_limits<std::int32_t>::min();
  respond.send(response);
}

}  // namespace brokkr::handlers
