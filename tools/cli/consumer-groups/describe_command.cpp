// --describe: describes each selected group (sorted by id) and prints the
// view asked for.
#include "commands.hpp"
#include "describe_views.hpp"

namespace brokkr::cli::groups {

int describe_command(const CommandLine& command_line, client::Cluster& cluster) {
  bool failed = false;
  for (const auto& group_id : selected_groups(command_line, cluster)) {
    auto group = describe_group(cluster, group_id);
    if (command_line.has("members") && !command_line.has("offsets")) {
      describe_members(group, command_line.has("verbose"), failed);
    } else if (command_line.has("state") && !command_line.has("offsets")) {
      describe_state(group, failed);
    } else {
      describe_offsets(cluster, group, failed);
    }
  }
  return failed ? 1 : 0;
}

}  // namespace brokkr::cli::groups
