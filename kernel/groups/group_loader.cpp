// Rebuilding groups and offsets from the GroupLog at start (Kafka's
// loadGroupsAndOffsets): the log is replayed in order, the last record of a
// key wins and tombstones remove. Groups with members come back Stable with
// their sessions restarted, so members that are gone expire and those that
// heartbeat carry on; groups without members come back Empty. The KIP-848
// records met on the way (key versions 3-8) go to the consumer group
// manager (ConsumerGroupReplaySink), which rebuilds its groups the same way.
#include "groups/consumer/consumer_group_replay_sink.hpp"
#include "groups/group_coordinator.hpp"
#include "groups/group_entry.hpp"
#include "groups/outbox.hpp"
#include "logging/logging.hpp"

namespace brokkr::groups {
namespace {

struct Replayed {
  std::optional<StoredGroup> metadata;
  std::map<TopicPartition, CommittedOffset> offsets;
};

}  // namespace

void GroupCoordinator::load(GroupLog& log) {
  std::vector<std::int32_t> all;
  for (std::int32_t p = 0; p < log.partition_count(); ++p) all.push_back(p);
  load(log, all);
}

void GroupCoordinator::load(GroupLog& log, const std::vector<std::int32_t>& partitions) {
  loading_ = true;
  log_ = &log;
  for (std::int32_t p : partitions) load_partition(log, p);
  loading_ = false;
}

void GroupCoordinator::load_partition(GroupLog& log, std::int32_t partition) {
  std::map<std::string, Replayed> replayed;
  GroupLogVisitor visitor;
  visitor.offset = [&](const std::string& group, const CommittedOffset& offset) {
    replayed[group].offsets[{offset.topic, offset.partition}] = offset;
  };
  visitor.offset_removed = [&](const std::string& group, const std::string& topic, std::int32_t p) {
    replayed[group].offsets.erase({topic, p});
  };
  visitor.group = [&](const StoredGroup& group) { replayed[group.group_id].metadata = group; };
  visitor.group_removed = [&](const std::string& group) { replayed[group].metadata.reset(); };
  // KIP-848 groups' records go to their manager, which builds its groups at the end.
  visitor.other_record = [this](std::int16_t, std::span<const std::uint8_t> key,
                                std::optional<std::span<const std::uint8_t>> value) {
    return consumer_replay_ && consumer_replay_->replay_record(key, value);
  };
  log.load_partition(partition, visitor);
  if (consumer_replay_) consumer_replay_->replay_done();

  std::size_t groups = 0;
  std::size_t offsets = 0;
  for (auto& [id, r] : replayed) {
    if (!r.metadata && r.offsets.empty()) continue;
    auto entry = std::make_shared<Entry>(io_, id, wall_ms());
    entry->self = entry;
    Group& group = entry->group;
    for (const auto& [tp, offset] : r.offsets) group.offsets.put(offset);
    if (r.metadata) {
      const StoredGroup& s = *r.metadata;
      group.generation = s.generation;
      group.protocol_type = s.protocol_type.empty() ? std::nullopt : std::optional<std::string>(s.protocol_type);
      group.protocol_name = s.protocol;
      group.set_state_timestamp_ms(s.current_state_timestamp_ms >= 0 ? std::optional(s.current_state_timestamp_ms)
                                                                      : std::nullopt);
      for (const auto& m : s.members) {
        Member member;
        member.id = m.member_id;
        member.instance_id = m.group_instance_id;
        member.client_id = m.client_id;
        member.client_host = m.client_host;
        member.rebalance_timeout_ms = m.rebalance_timeout_ms;
        member.session_timeout_ms = m.session_timeout_ms;
        member.protocol_type = s.protocol_type;
        if (s.protocol) member.protocols.push_back({*s.protocol, m.subscription});
        member.assignment = m.assignment;
        schedule_session(member, member.session_timeout_ms);
        if (member.instance_id && group.static_member(*member.instance_id)) continue;  // corrupt: keep the first
        group.add(std::move(member));
      }
      group.leader = s.leader && group.has(*s.leader) ? s.leader
                     : group.size() ? std::optional<std::string>(group.members().begin()->first)
                                    : std::nullopt;
      // Kafka loads a group with members as Stable (its last stored generation).
      if (group.size() > 0) {
        std::optional<std::int64_t> stamp = group.state_timestamp_ms();
        group.transition_to(GroupState::preparing_rebalance, wall_ms());
        group.transition_to(GroupState::completing_rebalance, wall_ms());
        group.transition_to(GroupState::stable, wall_ms());
        group.set_state_timestamp_ms(stamp);
      }
      group.compute_subscribed_topics();
    }
    Outbox out;
    {
      std::lock_guard lock(entry->mutex);
      if (group.size() > static_cast<std::size_t>(std::max(config_.max_size, 0))) {
        prepare_rebalance(*entry, out, "loaded group is over group.max.size");
      }
      arm_timer(*entry);
    }
    {
      std::lock_guard lock(groups_mutex_);
      groups_[id] = entry;
    }
    ++groups;
    offsets += group.offsets.size();
  }
  if (groups) {
    logging::get("groups")->info("loaded {} group(s) with {} committed offset(s) from {}-{}", groups, offsets,
                                 kOffsetsTopic, partition);
  }
}

}  // namespace brokkr::groups
