#include "handlers/find_coordinator_handler.hpp"

#include "protocol/error_code.hpp"
#include "protocol/generated/find_coordinator_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::FindCoordinatorResponse;

constexpr std::int8_t kGroupKey = 0;
constexpr std::int8_t kTransactionKey = 1;
constexpr std::int16_t kBatchedFrom = 4;

struct Answer {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::string message;
  std::int32_t node_id = -1;
  std::string host;
  std::int32_t port = -1;
};

}  // namespace

void FindCoordinatorHandler::handle(const RequestContext& context, protocol::FindCoordinatorRequest request,
                                    ResponseWriter respond) {
  // A group's coordinator is the leader of its __consumer_offsets
  // partition; transactional ids are coordinated by this broker for now
  // (TODO(cluster): the leader of the key's __transaction_state partition).
  // Either is reached on the listener the request came in on.
  auto snapshot = metadata_.snapshot();
  auto answer_for = [&](const std::string& key) {
    Answer a;
    if (request.key_type != kGroupKey && request.key_type != kTransactionKey) {
      a.error = protocol::ErrorCode::invalid_request;
      a.message = "Unknown coordinator key type " + std::to_string(request.key_type) + ".";
      return a;
    }
    std::int32_t node_id = local_node_id_;
    if (request.key_type == kGroupKey && groups_) {
      auto where = groups_->locate(key);
      if (where.error != protocol::ErrorCode::none) {
        a.error = where.error;
        a.message = "The coordinator is not available.";
        return a;
      }
      node_id = where.node_id;
    }
    for (const auto& broker : snapshot->brokers) {
      if (broker.node_id != node_id) continue;
      for (const auto& endpoint : broker.endpoints) {
        if (endpoint.listener_name != context.connection.listener_name) continue;
        a.node_id = broker.node_id;
        a.host = endpoint.host;
        a.port = endpoint.port;
        return a;
      }
    }
    a.error = protocol::ErrorCode::coordinator_not_available;
    a.message = "The coordinator is not available.";
    return a;
  };

  FindCoordinatorResponse response;
  if (context.api_version >= kBatchedFrom) {
    for (const auto& key : request.coordinator_keys) {
      Answer a = answer_for(key);
      FindCoordinatorResponse::Coordinator entry;
      entry.key = key;
      entry.node_id = a.node_id;
      entry.host = a.host;
      entry.port = a.port;
      entry.error_code = static_cast<std::int16_t>(a.error);
      entry.error_message = a.error == protocol::ErrorCode::none ? std::nullopt
                                                                 : std::optional<std::string>(a.message);
      response.coordinators.push_back(std::move(entry));
    }
  } else {
    Answer a = answer_for(request.key);
    response.error_code = static_cast<std::int16_t>(a.error);
    response.error_message = a.error == protocol::ErrorCode::none ? std::nullopt
                                                                  : std::optional<std::string>(a.message);
    response.node_id = a.node_id;
    response.host = a.host;
    response.port = a.port;
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
