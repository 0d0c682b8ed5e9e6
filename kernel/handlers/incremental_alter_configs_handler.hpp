// IncrementalAlterConfigs (key 44), v0-v1: SET/DELETE/APPEND/SUBTRACT on
// topic configs and dynamic broker-level topic defaults.
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/incremental_alter_configs_request.hpp"

namespace brokkr::handlers {

class IncrementalAlterConfigsHandler final : public TypedHandler<protocol::IncrementalAlterConfigsRequest> {
 public:
  explicit IncrementalAlterConfigsHandler(cluster::TopicAdmin& admin) : admin_(admin) {}
  const char* name() const override { return "IncrementalAlterConfigs"; }

 protected:
  void handle(const RequestContext& context, protocol::IncrementalAlterConfigsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
};

}  // namespace brokkr::handlers
