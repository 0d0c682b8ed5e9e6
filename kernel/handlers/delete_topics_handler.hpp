// DeleteTopics (key 20), v0-v6: by name, and by topic id (v6).
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/delete_topics_request.hpp"

namespace brokkr::handlers {

class DeleteTopicsHandler final : public TypedHandler<protocol::DeleteTopicsRequest> {
 public:
  explicit DeleteTopicsHandler(cluster::TopicAdmin& admin) : admin_(admin) {}
  const char* name() const override { return "DeleteTopics"; }

 protected:
  void handle(const RequestContext& context, protocol::DeleteTopicsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
};

}  // namespace brokkr::handlers
