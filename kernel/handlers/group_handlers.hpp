// Registers the classic group protocol's APIs, served by one GroupCoordinator.
#pragma once

#include "cluster/metadata_cache.hpp"
#include "groups/group_coordinator.hpp"
#include "handlers/handler_registry.hpp"

namespace brokkr::handlers {

void register_group_handlers(HandlerRegistry& registry, groups::GroupCoordinator& coordinator,
                             const cluster::MetadataCache& metadata);

}  // namespace brokkr::handlers
