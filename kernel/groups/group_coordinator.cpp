#include "groups/group_coordinator.hpp"

#include "cluster/metadata_cache.hpp"
#include "groups/group_entry.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {

GroupCoordinator::GroupCoordinator(boost::asio::io_context& io, config::GroupsConfig config,
                                   std::int32_t local_node_id, const cluster::MetadataCache* metadata, Clock clock)
    : io_(io),
      config_(std::move(config)),
      local_node_id_(local_node_id),
      metadata_(metadata),
      clock_(std::move(clock)),
      retention_timer_(io) {}

GroupCoordinator::~GroupCoordinator() { stop(); }

void GroupCoordinator::start() {
  stopped_ = false;
  arm_retention_timer();
}

void GroupCoordinator::stop() {
  stopped_ = true;
  {
    std::lock_guard lock(retention_mutex_);
    retention_timer_.cancel();
  }
  for (const auto& entry : all_entries()) {
    std::lock_guard lock(entry->mutex);
    entry->timer.cancel();
    entry->armed.reset();
  }
}

void GroupCoordinator::mark_loading() { loading_ = true; }

// -- the groups map --

GroupCoordinator::EntryPtr GroupCoordinator::find_entry(const std::string& group_id) const {
  std::lock_guard lock(groups_mutex_);
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : it->second;
}

GroupCoordinator::EntryPtr GroupCoordinator::find_or_create_entry(const std::string& group_id) {
  std::lock_guard lock(groups_mutex_);
  auto& slot = groups_[group_id];
  if (!slot) {
    slot = std::make_shared<Entry>(io_, group_id, wall_ms());
    slot->self = slot;
  }
  return slot;
}

void GroupCoordinator::erase_entry(Entry& entry) {
  entry.group.transition_to(GroupState::dead, wall_ms());
  entry.timer.cancel();
  entry.armed.reset();
  std::lock_guard lock(groups_mutex_);
  auto it = groups_.find(entry.group.id());
  if (it != groups_.end() && it->second.get() == &entry) groups_.erase(it);
}

std::vector<GroupCoordinator::EntryPtr> GroupCoordinator::all_entries() const {
  std::lock_guard lock(groups_mutex_);
  std::vector<EntryPtr> out;
  out.reserve(groups_.size());
  for (const auto& [id, entry] : groups_) out.push_back(entry);
  return out;
}

// Kafka's validateGroupStatus: the id, then whether this broker serves the group now.
std::optional<ErrorCode> GroupCoordinator::check_status(const std::string& group_id, bool allow_empty_id) const {
  if (group_id.empty() && !allow_empty_id) return ErrorCode::invalid_group_id;
  if (stopped_) return ErrorCode::coordinator_not_available;
  if (loading_) return ErrorCode::coordinator_load_in_progress;
  Location where = locate(group_id);
  if (where.error != ErrorCode::none) return where.error;
  if (where.node_id != local_node_id_) return ErrorCode::not_coordinator;
  return std::nullopt;
}

GroupCoordinator::Location GroupCoordinator::locate(const std::string& group_id) const {
  GroupLog* log = log_.load();
  if (!metadata_ || !log) return {ErrorCode::none, local_node_id_};
  auto snapshot = metadata_->snapshot();
  auto topic = snapshot->topics.find(kOffsetsTopic);
  if (topic == snapshot->topics.end()) return {ErrorCode::none, local_node_id_};
  std::int32_t partition = log->partition_for(group_id);
  const auto& partitions = topic->second->partitions;
  if (partition < 0 || partition >= static_cast<std::int32_t>(partitions.size())) {
    return {ErrorCode::coordinator_not_available, -1};
  }
  std::int32_t leader = partitions[static_cast<std::size_t>(partition)].leader;
  if (leader < 0) return {ErrorCode::coordinator_not_available, -1};
  return {ErrorCode::none, leader};
}

// -- the log --

StoredGroup GroupCoordinator::stored(const Group& group) const {
  StoredGroup s;
  s.group_id = group.id();
  s.protocol_type = group.protocol_type.value_or("");
  s.generation = group.generation;
  s.protocol = group.protocol_name;
  s.leader = group.leader;
  s.current_state_timestamp_ms = group.state_timestamp_ms().value_or(-1);
  for (const auto& [id, member] : group.members()) {
    StoredMember m;
    m.member_id = id;
    m.group_instance_id = member.instance_id;
    m.client_id = member.client_id;
    m.client_host = member.client_host;
    m.rebalance_timeout_ms = member.rebalance_timeout_ms;
    m.session_timeout_ms = member.session_timeout_ms;
    const Bytes* subscription = group.protocol_name ? member.metadata_for(*group.protocol_name) : nullptr;
    if (subscription) m.subscription = *subscription;
    m.assignment = member.assignment;
    s.members.push_back(std::move(m));
  }
  return s;
}

void GroupCoordinator::write_group(Outbox& out, StoredGroup group, GroupLog::Done done) {
  out.add([this, group = std::move(group), done = std::move(done)] {
    GroupLog* log = log_.load();
    if (!log) return done(ErrorCode::none);  // memory only
    log->store_group(group, done);
  });
}

void GroupCoordinator::write_offsets(Outbox& out, const std::string& group_id, std::vector<CommittedOffset> offsets,
                                     GroupLog::Done done) {
  out.add([this, group_id, offsets = std::move(offsets), done = std::move(done)] {
    GroupLog* log = log_.load();
    if (!log) return done(ErrorCode::none);
    log->store_offsets(group_id, offsets, done);
  });
}

void GroupCoordinator::write_removals(Outbox& out, const std::string& group_id,
                                      std::vector<TopicPartition> partitions, bool remove_group) {
  out.add([this, group_id, partitions = std::move(partitions), remove_group] {
    GroupLog* log = log_.load();
    if (!log) return;
    auto warn = [group_id](const char* what) {
      return [group_id, what](ErrorCode error) {
        if (error != ErrorCode::none) {
          logging::get("groups")->warn("group {}: writing {} failed with error {}", group_id, what,
                                       protocol::code(error));
        }
      };
    };
    if (!partitions.empty()) log->remove_offsets(group_id, partitions, warn("offset tombstones"));
    if (remove_group) log->remove_group(group_id, warn("the group tombstone"));
  });
}

}  // namespace brokkr::groups
