// DescribeGroups, ListGroups and DeleteGroups, of classic groups and of
// consumer-protocol (KIP-848) groups known through the ConsumerGroupLookup.
#include <algorithm>
#include <cctype>
#include <set>

#include "groups/consumer/consumer_group_lookup.hpp"
#include "groups/consumer_protocol.hpp"
#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {
namespace {

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

}  // namespace

DescribedGroup GroupCoordinator::describe_group(const std::string& group_id) {
  DescribedGroup d;
  d.group_id = group_id;
  if (auto error = check_status(group_id, true)) {
    d.error = *error;
    return d;
  }
  // Not a classic group: Kafka answers GROUP_ID_NOT_FOUND (ConsumerGroupDescribe describes it).
  if (consumer_groups_ && consumer_groups_->is_consumer_group(group_id)) {
    d.error = ErrorCode::group_id_not_found;
    return d;
  }
  EntryPtr entry = find_entry(group_id);
  if (!entry) {
    d.state = state_name(GroupState::dead);  // Kafka describes unknown groups as Dead
    return d;
  }
  std::lock_guard lock(entry->mutex);
  const Group& group = entry->group;
  d.state = state_name(group.state());
  d.protocol_type = group.protocol_type.value_or("");
  // Metadata and assignments mean something only for a Stable generation.
  bool stable = group.is(GroupState::stable) && group.protocol_name;
  if (stable) d.protocol = *group.protocol_name;
  for (const auto& [id, member] : group.members()) {
    DescribedMember m;
    m.member_id = id;
    m.group_instance_id = member.instance_id;
    m.client_id = member.client_id;
    m.client_host = member.client_host;
    if (stable) {
      if (const Bytes* metadata = member.metadata_for(*group.protocol_name)) m.metadata = *metadata;
      m.assignment = member.assignment;
    }
    d.members.push_back(std::move(m));
  }
  return d;
}

std::pair<ErrorCode, std::vector<GroupOverview>> GroupCoordinator::list_groups(
    const std::vector<std::string>& states) {
  if (stopped_) return {ErrorCode::coordinator_not_available, {}};
  std::set<GroupState> wanted;
  bool unknown_state_only = !states.empty();
  for (const auto& name : states) {
    if (auto state = parse_state(name)) {
      wanted.insert(*state);
      unknown_state_only = false;
    }
  }
  std::vector<GroupOverview> out;
  // Consumer-protocol groups; a classic entry of the same id only holds their offsets.
  std::vector<consumer::ConsumerGroupLookup::GroupListing> consumer_groups;
  if (consumer_groups_) consumer_groups = consumer_groups_->list_groups();
  std::set<std::string> consumer_ids;
  for (const auto& g : consumer_groups) {
    consumer_ids.insert(g.group_id);
    bool wanted_state = states.empty() || std::any_of(states.begin(), states.end(), [&](const std::string& s) {
                          return same_name(s, g.state);
                        });
    if (wanted_state) out.push_back({g.group_id, kConsumerProtocolType, g.state, "consumer"});
  }
  for (const auto& entry : all_entries()) {
    std::lock_guard lock(entry->mutex);
    const Group& group = entry->group;
    if (group.is(GroupState::dead) || consumer_ids.count(group.id())) continue;
    if (unknown_state_only || (!wanted.empty() && !wanted.count(group.state()))) continue;
    out.push_back({group.id(), group.protocol_type.value_or(""), state_name(group.state())});
  }
  return {loading_ ? ErrorCode::coordinator_load_in_progress : ErrorCode::none, std::move(out)};
}

std::map<std::string, ErrorCode> GroupCoordinator::delete_groups(const std::vector<std::string>& group_ids) {
  std::map<std::string, ErrorCode> result;
  for (const auto& id : group_ids) {
    if (auto error = check_status(id, true)) {
      result[id] = *error;
      continue;
    }
    if (consumer_groups_ && consumer_groups_->is_consumer_group(id)) {
      // Forgotten by its manager (only when it has no members), then its
      // offsets go as a classic group's do.
      ErrorCode error = consumer_groups_->delete_group(id);
      if (error != ErrorCode::group_id_not_found) {  // else: gone meanwhile; a classic group may hold the id
        if (error == ErrorCode::none) {
          if (EntryPtr entry = find_entry(id)) {
            Outbox out;
            std::lock_guard lock(entry->mutex);
            if (!entry->group.is(GroupState::dead)) {
              auto offsets = entry->group.offsets.partitions();
              logging::get("groups")->info("consumer group {}: deleted with {} committed offset(s)", id,
                                           offsets.size());
              write_removals(out, id, std::move(offsets), true);
              erase_entry(*entry);
            }
          }
        }
        result[id] = error;
        continue;
      }
    }
    EntryPtr entry = find_entry(id);
    if (!entry) {
      result[id] = ErrorCode::group_id_not_found;
      continue;
    }
    Outbox out;
    std::lock_guard lock(entry->mutex);
    Group& group = entry->group;
    if (group.is(GroupState::dead)) {
      result[id] = ErrorCode::group_id_not_found;
    } else if (!group.is(GroupState::empty)) {
      result[id] = ErrorCode::non_empty_group;
    } else {
      auto offsets = group.offsets.partitions();
      logging::get("groups")->info("group {}: deleted with {} committed offset(s)", id, offsets.size());
      write_removals(out, id, std::move(offsets), true);
      erase_entry(*entry);
      result[id] = ErrorCode::none;
    }
  }
  return result;
}

}  // namespace brokkr::groups
