#include "handlers/all_handlers.hpp"

#include "handlers/alter_configs_handler.hpp"
#include "handlers/api_versions_handler.hpp"
#include "handlers/consumer_group_describe_handler.hpp"
#include "handlers/consumer_group_heartbeat_handler.hpp"
#include "handlers/create_partitions_handler.hpp"
#include "handlers/create_topics_handler.hpp"
#include "handlers/delete_records_handler.hpp"
#include "handlers/delete_topics_handler.hpp"
#include "handlers/describe_cluster_handler.hpp"
#include "handlers/describe_configs_handler.hpp"
#include "handlers/describe_log_dirs_handler.hpp"
#include "handlers/fetch_handler.hpp"
#include "handlers/find_coordinator_handler.hpp"
#include "handlers/group_handlers.hpp"
#include "handlers/incremental_alter_configs_handler.hpp"
#include "handlers/list_offsets_handler.hpp"
#include "handlers/metadata_handler.hpp"
#include "handlers/offset_for_leader_epoch_handler.hpp"
#include "handlers/produce_handler.hpp"

namespace brokkr::handlers {

void register_all_handlers(HandlerRegistry& registry, BrokerServices& services) {
  registry.add(std::make_unique<ApiVersionsHandler>(registry));
  registry.add(std::make_unique<MetadataHandler>(services.metadata, services.topic_admin));
  registry.add(std::make_unique<DescribeClusterHandler>(services.metadata));
  registry.add(std::make_unique<FindCoordinatorHandler>(services.metadata, services.config.node_id,
                                                        services.group_coordinator));
  if (services.group_coordinator) {  // the classic group protocol
    register_group_handlers(registry, *services.group_coordinator, services.metadata);
  }
  if (services.consumer_groups) {  // KIP-848, advertised only with an assignor to run
    registry.add(std::make_unique<ConsumerGroupHeartbeatHandler>(*services.consumer_groups));
    registry.add(std::make_unique<ConsumerGroupDescribeHandler>(*services.consumer_groups));
  }
  if (services.topic_admin) {
    auto& admin = *services.topic_admin;
    registry.add(std::make_unique<CreateTopicsHandler>(admin));
    registry.add(std::make_unique<DeleteTopicsHandler>(admin));
    registry.add(std::make_unique<CreatePartitionsHandler>(admin));
    registry.add(std::make_unique<DescribeConfigsHandler>(admin));
    registry.add(std::make_unique<AlterConfigsHandler>(admin));
    registry.add(std::make_unique<IncrementalAlterConfigsHandler>(admin));
  }
  if (services.partitions) {
    auto& partitions = *services.partitions;
    registry.add(std::make_unique<ProduceHandler>(services.io, services.metadata, partitions));
    registry.add(std::make_unique<FetchHandler>(services.io, services.metadata, partitions));
    registry.add(std::make_unique<ListOffsetsHandler>(services.metadata, partitions));
    registry.add(std::make_unique<OffsetForLeaderEpochHandler>(services.metadata, partitions));
    registry.add(std::make_unique<DeleteRecordsHandler>(services.metadata, partitions));
    registry.add(std::make_unique<DescribeLogDirsHandler>(partitions));
  }
}

}  // namespace brokkr::handlers
