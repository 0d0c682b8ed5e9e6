// FindCoordinator (key 10), v0-v6: where a group's (or a transactional
// producer's) coordinator runs, with batched keys from v4. A group's is the
// leader of its __consumer_offsets partition (the group coordinator says
// which); transactions are coordinated by this broker for now.
#pragma once

#include <cstdint>

#include "cluster/metadata_cache.hpp"
#include "groups/group_coordinator.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/find_coordinator_request.hpp"

namespace brokkr::handlers {

class FindCoordinatorHandler final : public TypedHandler<protocol::FindCoordinatorRequest> {
 public:
  // `groups` (null: this broker coordinates every group) places group keys.
  FindCoordinatorHandler(const cluster::MetadataCache& metadata, std::int32_t local_node_id,
                         const groups::GroupCoordinator* groups = nullptr)
      : metadata_(metadata), local_node_id_(local_node_id), groups_(groups) {}
  const char* name() const override { return "FindCoordinator"; }

 protected:
  void handle(const RequestContext& context, protocol::FindCoordinatorRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& metadata_;
  std::int32_t local_node_id_;
  const groups::GroupCoordinator* groups_;
};

}  // namespace brokkr::handlers
