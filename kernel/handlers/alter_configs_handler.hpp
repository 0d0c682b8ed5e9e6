// AlterConfigs (key 33), v0-v2: replaces a topic's config overrides, or a
// broker's (or the cluster default's) dynamic topic-default configs.
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/alter_configs_request.hpp"

namespace brokkr::handlers {

class AlterConfigsHandler final : public TypedHandler<protocol::AlterConfigsRequest> {
 public:
  explicit AlterConfigsHandler(cluster::TopicAdmin& admin) : admin_(admin) {}
  const char* name() const override { return "AlterConfigs"; }

 protected:
  void handle(const RequestContext& context, protocol::AlterConfigsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
};

}  // namespace brokkr::handlers
