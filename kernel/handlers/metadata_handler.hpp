// Metadata (key 3): brokers, controller, cluster id and topic partitions,
// answered from the metadata cache.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/metadata_request.hpp"

namespace brokkr::handlers {

class MetadataHandler final : public TypedHandler<protocol::MetadataRequest> {
 public:
  explicit MetadataHandler(const cluster::MetadataCache& cache) : cache_(cache) {}
  const char* name() const override { return "Metadata"; }

 protected:
  void handle(const RequestContext& context, protocol::MetadataRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& cache_;
};

}  // namespace brokkr::handlers
