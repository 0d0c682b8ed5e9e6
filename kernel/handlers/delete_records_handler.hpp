// DeleteRecords (key 21), v0-v2: advances the log start offset of led
// partitions (-1: up to the high watermark); answers the low watermark.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/delete_records_request.hpp"

namespace brokkr::handlers {

class DeleteRecordsHandler final : public TypedHandler<protocol::DeleteRecordsRequest> {
 public:
  DeleteRecordsHandler(const cluster::MetadataCache& metadata, partition::PartitionManager& partitions)
      : metadata_(metadata), partitions_(partitions) {}
  const char* name() const override { return "DeleteRecords"; }

 protected:
  void handle(const RequestContext& context, protocol::DeleteRecordsRequest request,
              ResponseWriter respond) override;

 private:
  const cluster::MetadataCache& metadata_;
  partition::PartitionManager& partitions_;
};

}  // namespace brokkr::handlers
