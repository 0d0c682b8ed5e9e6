// DescribeLogDirs (key 35), v0-v4: the storage engine's log directory and
// the size of each local partition.
#pragma once

#include "handlers/api_handler.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/describe_log_dirs_request.hpp"

namespace brokkr::handlers {

class DescribeLogDirsHandler final : public TypedHandler<protocol::DescribeLogDirsRequest> {
 public:
  explicit DescribeLogDirsHandler(partition::PartitionManager& partitions) : partitions_(partitions) {}
  const char* name() const override { return "DescribeLogDirs"; }

 protected:
  void handle(const RequestContext& context, protocol::DescribeLogDirsRequest request,
              ResponseWriter respond) override;

 private:
  partition::PartitionManager& partitions_;
};

}  // namespace brokkr::handlers
