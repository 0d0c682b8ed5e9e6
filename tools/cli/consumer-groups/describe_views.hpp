// The three views of --describe: --offsets (the default), --members, --state.
// Each prints one described group as Kafka does; `failed` is set for a group
// that does not exist.
#pragma once

#include "client/cluster.hpp"
#include "commands.hpp"
#include "group_queries.hpp"

namespace brokkr::cli::groups {

void describe_offsets(client::Cluster& cluster, const GroupDescription& group, bool& failed);
void describe_members(const GroupDescription& group, bool verbose, bool& failed);
void describe_state(const GroupDescription& group, bool& failed);

}  // namespace brokkr::cli::groups
