// Metadata (key 3): brokers, controller, cluster id and topic partitions,
// answered from the metadata cache.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/metadata_request.hpp"

namespace brokkr::handlers {

class MetadataHandler final : public TypedHandler<protocol::MetadataRequest> {
 public:
  // With `admin`, unknown topics are auto-created when the request allows it.
  explicit MetadataHandler(const cluster::MetadataCache& cache, cluster::TopicAdmin* admin = nullptr)
      : cache_(cache), admin_(admin) {}
  const char* name() const override { return "Metadata"; }

 protected:
  void handle(const RequestContext& context, protocol::MetadataRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& cache_;
  cluster::TopicAdmin* admin_;
};

}  // namespace brokkr::handlers
