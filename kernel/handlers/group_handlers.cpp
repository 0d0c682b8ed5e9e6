#include "handlers/group_handlers.hpp"

#include "handlers/delete_groups_handler.hpp"
#include "handlers/describe_groups_handler.hpp"
#include "handlers/heartbeat_handler.hpp"
#include "handlers/join_group_handler.hpp"
#include "handlers/leave_group_handler.hpp"
#include "handlers/list_groups_handler.hpp"
#include "handlers/offset_commit_handler.hpp"
#include "handlers/offset_delete_handler.hpp"
#include "handlers/offset_fetch_handler.hpp"
#include "handlers/sync_group_handler.hpp"

namespace brokkr::handlers {

void register_group_handlers(HandlerRegistry& registry, groups::GroupCoordinator& coordinator,
                             const cluster::MetadataCache& metadata) {
  registry.add(std::make_unique<JoinGroupHandler>(coordinator));
  registry.add(std::make_unique<SyncGroupHandler>(coordinator));
  registry.add(std::make_unique<HeartbeatHandler>(coordinator));
  registry.add(std::make_unique<LeaveGroupHandler>(coordinator));
  registry.add(std::make_unique<OffsetCommitHandler>(coordinator, metadata));
  registry.add(std::make_unique<OffsetFetchHandler>(coordinator));
  registry.add(std::make_unique<OffsetDeleteHandler>(coordinator, metadata));
  registry.add(std::make_unique<DescribeGroupsHandler>(coordinator));
  registry.add(std::make_unique<ListGroupsHandler>(coordinator));
  registry.add(std::make_unique<DeleteGroupsHandler>(coordinator));
}

}  // namespace brokkr::handlers
