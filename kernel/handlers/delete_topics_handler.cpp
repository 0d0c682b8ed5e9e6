#include "handlers/delete_topics_handler.hpp"

#include "protocol/generated/delete_topics_response.hpp"

namespace brokkr::handlers {

using protocol::DeleteTopicsResponse;
using protocol::ErrorCode;

void DeleteTopicsHandler::handle(const RequestContext& context, protocol::DeleteTopicsRequest request,
                                 ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  DeleteTopicsResponse response;
  auto delete_one = [&](std::optional<std::string> name, protocol::Uuid id) {
    DeleteTopicsResponse::DeletableTopicResult result;
    if (!name) {
      for (const auto& [topic_name, topic] : snapshot->topics) {
        if (topic->topic_id == id) name = topic_name;
      }
      if (!name) {
        result.name = std::nullopt;
        result.topic_id = id;
        result.error_code = protocol::code(ErrorCode::unknown_topic_id);
        result.error_message = "This server does not host this topic ID.";
        return response.responses.push_back(std::move(result));
      }
    }
    result.name = *name;
    if (auto it = snapshot->topics.find(*name); it != snapshot->topics.end()) result.topic_id = it->second->topic_id;
    auto outcome = admin_.delete_topic(*name);
    result.error_code = protocol::code(outcome.error);
    if (!outcome.ok()) result.error_message = outcome.message;
    response.responses.push_back(std::move(result));
  };
  if (context.api_version >= 6) {
    for (const auto& topic : request.topics) delete_one(topic.name, topic.topic_id);
  } else {
    for (const auto& name : request.topic_names) delete_one(name, {});
  }
  respond.send(response);
}

}  // namespace brokkr::handlers
