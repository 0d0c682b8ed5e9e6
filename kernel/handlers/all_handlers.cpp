#include "handlers/all_handlers.hpp"

#include "handlers/api_versions_handler.hpp"
#include "handlers/create_partitions_handler.hpp"
#include "handlers/create_topics_handler.hpp"
#include "handlers/delete_topics_handler.hpp"
#include "handlers/fetch_handler.hpp"
#include "handlers/list_offsets_handler.hpp"
#include "handlers/metadata_handler.hpp"
#include "handlers/offset_for_leader_epoch_handler.hpp"
#include "handlers/produce_handler.hpp"

namespace brokkr::handlers {

void register_all_handlers(HandlerRegistry& registry, BrokerServices& services) {
  registry.add(std::make_unique<ApiVersionsHandler>(registry));
  registry.add(std::make_unique<MetadataHandler>(services.metadata, services.topic_admin));
  if (services.topic_admin) {
    registry.add(std::make_unique<CreateTopicsHandler>(*services.topic_admin, services.config));
    registry.add(std::make_unique<DeleteTopicsHandler>(*services.topic_admin, services.metadata));
    registry.add(std::make_unique<CreatePartitionsHandler>(*services.topic_admin));
  }
  if (services.partitions) {
    auto& partitions = *services.partitions;
    registry.add(std::make_unique<ProduceHandler>(services.io, services.metadata, partitions));
    registry.add(std::make_unique<FetchHandler>(services.io, services.metadata, partitions));
    registry.add(std::make_unique<ListOffsetsHandler>(services.metadata, partitions));
    registry.add(std::make_unique<OffsetForLeaderEpochHandler>(services.metadata, partitions));
  }
}

}  // namespace brokkr::handlers
