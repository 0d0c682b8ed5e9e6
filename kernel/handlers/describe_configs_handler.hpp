// DescribeConfigs (key 32), v0-v4: TOPIC and BROKER resources with value,
// source, read-only, synonyms (v1+), type and documentation (v3+).
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/describe_configs_request.hpp"

namespace brokkr::handlers {

class DescribeConfigsHandler final : public TypedHandler<protocol::DescribeConfigsRequest> {
 public:
  explicit DescribeConfigsHandler(cluster::TopicAdmin& admin) : admin_(admin) {}
  const char* name() const override { return "DescribeConfigs"; }

 protected:
  void handle(const RequestContext& context, protocol::DescribeConfigsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
};

}  // namespace brokkr::handlers
