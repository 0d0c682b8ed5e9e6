// CreateTopics (key 19), v0-v7: per-topic results with error messages,
// validate_only, v5+ echoes partitions, replication factor and configs.
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/create_topics_request.hpp"

namespace brokkr::handlers {

class CreateTopicsHandler final : public TypedHandler<protocol::CreateTopicsRequest> {
 public:
  CreateTopicsHandler(cluster::TopicAdmin& admin, const config::BrokerConfig& config)
      : admin_(admin), config_(config) {}
  const char* name() const override { return "CreateTopics"; }

 protected:
  void handle(const RequestContext& context, protocol::CreateTopicsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
  const config::BrokerConfig& config_;
};

}  // namespace brokkr::handlers
