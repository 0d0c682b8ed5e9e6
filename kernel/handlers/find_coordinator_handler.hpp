// FindCoordinator (key 10), v0-v6: where a group's (or a transactional
// producer's) coordinator runs, with batched keys from v4.
#pragma once

#include <cstdint>

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/find_coordinator_request.hpp"

namespace brokkr::handlers {

class FindCoordinatorHandler final : public TypedHandler<protocol::FindCoordinatorRequest> {
 public:
  FindCoordinatorHandler(const cluster::MetadataCache& metadata, std::int32_t local_node_id)
      : metadata_(metadata), local_node_id_(local_node_id) {}
  const char* name() const override { return "FindCoordinator"; }

 protected:
  void handle(const RequestContext& context, protocol::FindCoordinatorRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& metadata_;
  std::int32_t local_node_id_;
};

}  // namespace brokkr::handlers
