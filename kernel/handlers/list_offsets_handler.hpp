// ListOffsets (key 2): earliest (-2), latest (-1), max timestamp (-3),
// earliest local (-4), latest tiered (-5) and by timestamp. v0 answers a
// list (old_style_offsets) of at most one offset: see the .cpp.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/list_offsets_request.hpp"

namespace brokkr::handlers {

class ListOffsetsHandler final : public TypedHandler<protocol::ListOffsetsRequest> {
 public:
  ListOffsetsHandler(const cluster::MetadataCache& metadata, partition::PartitionManager& partitions)
      : metadata_(metadata), partitions_(partitions) {}
  const char* name() const override { return "ListOffsets"; }
  std::int16_t min_version() const override { return 0; }

 protected:
  void handle(const RequestContext& context, protocol::ListOffsetsRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& metadata_;
  partition::PartitionManager& partitions_;
};

}  // namespace brokkr::handlers
