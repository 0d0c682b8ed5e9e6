// DescribeCluster (key 60), v0-v1: brokers on the request's listener,
// controller, cluster id; endpoint type BROKER only.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/describe_cluster_request.hpp"

namespace brokkr::handlers {

class DescribeClusterHandler final : public TypedHandler<protocol::DescribeClusterRequest> {
 public:
  explicit DescribeClusterHandler(const cluster::MetadataCache& metadata) : metadata_(metadata) {}
  const char* name() const override { return "DescribeCluster"; }

 protected:
  void handle(const RequestContext& context, protocol::DescribeClusterRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& metadata_;
};

}  // namespace brokkr::handlers
