#include "handlers/delete_topics_handler.hpp"

#include <array>
#include <map>
#include <set>

#include "protocol/generated/delete_topics_response.hpp"

namespace brokkr::handlers {

using protocol::DeleteTopicsResponse;
using protocol::ErrorCode;
using Result = DeleteTopicsResponse::DeletableTopicResult;

namespace {

Result failed(std::optional<std::string> name, const protocol::Uuid& id, ErrorCode error, std::string message) {
  Result result;
  result.name = std::move(name);
  result.topic_id = id;
  result.error_code = protocol::code(error);
  result.error_message = std::move(message);
  return result;
}

}  // namespace

// Internal topics (__consumer_offsets, __transaction_state) are refused.
// Kafka's broker would delete them (only its kafka-topics tool refuses), but
// here they are created once, at broker start, by their coordinators: deleting
// one would drop every group's state for as long as the broker runs. The
// error is Kafka's for operations on internal topics it does refuse
// (DeleteRecords, Produce): INVALID_TOPIC_EXCEPTION.
void DeleteTopicsHandler::handle(const RequestContext& context, protocol::DeleteTopicsRequest request,
                                 ResponseWriter respond) {
  std::vector<protocol::DeleteTopicsRequest::DeleteTopicState> wanted;
  if (context.api_version >= 6) {
    wanted = request.topics;
  } else {
    for (auto& name : request.topic_names) {
      protocol::DeleteTopicsRequest::DeleteTopicState state;
      state.name = std::move(name);
      wanted.push_back(std::move(state));
    }
  }
  std::map<std::string, int> names;
  std::map<std::array<std::uint8_t, 16>, int> ids;
  for (const auto& t : wanted) {
    if (t.name) ++names[*t.name];
    if (!t.name || !t.topic_id.is_zero()) ++ids[t.topic_id.bytes];
  }

  DeleteTopicsResponse response;
  std::set<std::string> answered_names;
  std::set<std::array<std::uint8_t, 16>> answered_ids;
  for (const auto& t : wanted) {
    if (t.name && !t.topic_id.is_zero()) {
      response.responses.push_back(failed(t.name, t.topic_id, ErrorCode::invalid_request,
                                          "Topic name and topic ID can not both be specified."));
      continue;
    }
    if (t.name) {
      if (!answered_names.insert(*t.name).second) continue;
      if (names[*t.name] > 1) {
        response.responses.push_back(failed(t.name, {}, ErrorCode::invalid_request, "Duplicate topic name."));
        continue;
      }
    } else {
      if (!answered_ids.insert(t.topic_id.bytes).second) continue;
      if (ids[t.topic_id.bytes] > 1) {
        response.responses.push_back(
            failed(std::nullopt, t.topic_id, ErrorCode::invalid_request, "Duplicate topic id."));
        continue;
      }
    }
    if (auto name = t.name ? t.name : admin_.topic_name(t.topic_id); name && cluster::is_internal_topic(*name)) {
      response.responses.push_back(failed(t.name, t.topic_id, ErrorCode::invalid_topic_exception,
                                          "Topic " + *name + " is an internal topic and cannot be deleted."));
      continue;
    }
    cluster::TopicMetadata deleted;
    auto outcome = t.name ? admin_.delete_topic(*t.name, &deleted) : admin_.delete_topic(t.topic_id, &deleted);
    if (!outcome.ok()) {
      response.responses.push_back(failed(t.name, t.topic_id, outcome.error, outcome.message));
      continue;
    }
    Result result;
    result.name = deleted.name;
    result.topic_id = deleted.topic_id;
    result.error_message = std::nullopt;
    response.responses.push_back(std::move(result));
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
