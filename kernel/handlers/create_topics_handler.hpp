// CreateTopics (key 19), v0-v7: per-topic results with error messages,
// validate_only, v5+ partitions, replication factor and configs (with their
// sources), v7 topic ids.
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/create_topics_request.hpp"

namespace brokkr::handlers {

class CreateTopicsHandler final : public TypedHandler<protocol::CreateTopicsRequest> {
 public:
  explicit CreateTopicsHandler(cluster::TopicAdmin& admin) : admin_(admin) {}
  const char* name() const override { return "CreateTopics"; }

 protected:
  void handle(const RequestContext& context, protocol::CreateTopicsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
};

}  // namespace brokkr::handlers
