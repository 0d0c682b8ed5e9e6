// OffsetForLeaderEpoch (key 23): where a leader epoch ended, so consumers
// (KIP-320) and followers can detect and truncate a divergent log.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/offset_for_leader_epoch_request.hpp"

namespace brokkr::handlers {

class OffsetForLeaderEpochHandler final : public TypedHandler<protocol::OffsetForLeaderEpochRequest> {
 public:
  OffsetForLeaderEpochHandler(const cluster::MetadataCache& metadata,
                              partition::PartitionManager& partitions)
      : metadata_(metadata), partitions_(partitions) {}
  const char* name() const override { return "OffsetForLeaderEpoch"; }

 protected:
  void handle(const RequestContext& context, protocol::OffsetForLeaderEpochRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& metadata_;
  partition::PartitionManager& partitions_;
};

}  // namespace brokkr::handlers
