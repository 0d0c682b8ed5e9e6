#include "groups/consumer/consumer_group_journal.hpp"

#include "groups/consumer/consumer_group_records.hpp"

namespace brokkr::groups::consumer {
namespace {

bool same_metadata(const ConsumerGroupMember& a, const ConsumerGroupMember& b) {
  return a.instance_id == b.instance_id && a.rack_id == b.rack_id && a.client_id == b.client_id &&
         a.client_host == b.client_host && a.subscribed_topic_names == b.subscribed_topic_names &&
         a.subscribed_topic_regex == b.subscribed_topic_regex && a.rebalance_timeout_ms == b.rebalance_timeout_ms &&
         a.server_assignor == b.server_assignor;
}

bool same_assignment(const ConsumerGroupMember& a, const ConsumerGroupMember& b) {
  return a.member_epoch == b.member_epoch && a.previous_member_epoch == b.previous_member_epoch &&
         a.state == b.state && a.assigned == b.assigned && a.pending_revocation == b.pending_revocation;
}

class Writer {
 public:
  explicit Writer(const std::string& group_id) : group_id_(group_id) {}
  void put(RecordType type, std::vector<std::uint8_t> value, const std::string& member = "") {
    out.push_back({encode_consumer_key(type, group_id_, member), std::move(value)});
  }
  void remove(RecordType type, const std::string& member = "") {
    out.push_back({encode_consumer_key(type, group_id_, member), std::nullopt});
  }
  void remove_member(const std::string& member) {
    remove(RecordType::current_member_assignment, member);
    remove(RecordType::target_assignment_member, member);
    remove(RecordType::member_metadata, member);
  }
  std::vector<GroupRecord> out;

 private:
  const std::string& group_id_;
};

}  // namespace

GroupImage image_of(const ConsumerGroup& group) {
  GroupImage image;
  image.group_epoch = group.group_epoch;
  image.assignment_epoch = group.assignment_epoch;
  image.subscription_metadata = group.subscription_metadata;
  image.members = group.members();
  image.targets = group.targets();
  return image;
}

std::vector<GroupRecord> journal_changes(const std::string& group_id, const GroupImage* before,
                                         const GroupImage* after) {
  Writer w(group_id);
  static const GroupImage kNothing;
  const GroupImage& old = before ? *before : kNothing;
  if (!after) {
    if (!before) return {};
    for (const auto& [id, member] : old.members) w.remove_member(id);
    w.remove(RecordType::target_assignment_metadata);
    w.remove(RecordType::partition_metadata);
    w.remove(RecordType::group_metadata);
    return std::move(w.out);
  }
  for (const auto& [id, member] : old.members) {
    if (!after->members.count(id)) w.remove_member(id);
  }
  for (const auto& [id, member] : after->members) {
    auto it = old.members.find(id);
    if (it == old.members.end() || !same_metadata(it->second, member)) {
      w.put(RecordType::member_metadata, encode_member_metadata(member), id);
    }
  }
  if (!before || old.subscription_metadata != after->subscription_metadata) {
    w.put(RecordType::partition_metadata, encode_partition_metadata(after->subscription_metadata));
  }
  if (!before || old.group_epoch != after->group_epoch) {
    w.put(RecordType::group_metadata, encode_epoch_value(after->group_epoch));
  }
  for (const auto& [id, target] : after->targets) {
    auto it = old.targets.find(id);
    if (it == old.targets.end() || it->second != target) {
      w.put(RecordType::target_assignment_member, encode_target_member(target), id);
    }
  }
  for (const auto& [id, target] : old.targets) {
    // A member that stays but lost its target entry (removed members had theirs removed above).
    if (!after->targets.count(id) && after->members.count(id)) w.remove(RecordType::target_assignment_member, id);
  }
  if (!before || old.assignment_epoch != after->assignment_epoch) {
    w.put(RecordType::target_assignment_metadata, encode_epoch_value(after->assignment_epoch));
  }
  for (const auto& [id, member] : after->members) {
    auto it = old.members.find(id);
    if (it == old.members.end() || !same_assignment(it->second, member)) {
      w.put(RecordType::current_member_assignment, encode_current_assignment(member), id);
    }
  }
  return std::move(w.out);
}

bool ConsumerGroupReplay::apply(std::span<const std::uint8_t> key,
                                std::optional<std::span<const std::uint8_t>> value) {
  std::optional<ConsumerRecordKey> k = decode_consumer_key(key);
  if (!k) return false;
  if (!value && k->type == RecordType::group_metadata) {
    groups_.erase(k->group_id);  // the group is deleted
    return true;
  }
  if (!value && !groups_.count(k->group_id)) return true;  // tombstone of something long gone
  Partial& g = groups_[k->group_id];
  switch (k->type) {
    case RecordType::group_metadata:
      g.group_epoch = decode_epoch_value(*value);
      break;
    case RecordType::partition_metadata:
      g.subscription_metadata = value ? decode_partition_metadata(*value) : SubscriptionMetadata{};
      break;
    case RecordType::member_metadata:
      if (!value) {
        g.metadata.erase(k->member_id);
      } else {
        ConsumerGroupMember& m = g.metadata[k->member_id];
        m.member_id = k->member_id;
        decode_member_metadata(*value, m);
      }
      break;
    case RecordType::target_assignment_metadata:
      g.assignment_epoch = value ? std::optional(decode_epoch_value(*value)) : std::nullopt;
      break;
    case RecordType::target_assignment_member:
      if (!value) {
        g.targets.erase(k->member_id);
      } else {
        g.targets[k->member_id] = decode_target_member(*value);
      }
      break;
    case RecordType::current_member_assignment:
      if (!value) {
        g.assignments.erase(k->member_id);
      } else {
        ConsumerGroupMember& m = g.assignments[k->member_id];
        decode_current_assignment(*value, m);
      }
      break;
  }
  return true;
}

std::vector<ConsumerGroup> ConsumerGroupReplay::take() {
  std::vector<ConsumerGroup> out;
  for (auto& [id, g] : groups_) {
    if (!g.group_epoch && g.metadata.empty()) continue;
    ConsumerGroup group(id);
    group.group_epoch = g.group_epoch.value_or(0);
    group.subscription_metadata = std::move(g.subscription_metadata);
    std::map<std::string, PartitionSet> targets;
    for (auto& [member_id, meta] : g.metadata) {
      ConsumerGroupMember member = std::move(meta);
      if (auto a = g.assignments.find(member_id); a != g.assignments.end()) {
        member.member_epoch = a->second.member_epoch;
        member.previous_member_epoch = a->second.previous_member_epoch;
        member.state = a->second.state;
        member.assigned = std::move(a->second.assigned);
        member.pending_revocation = std::move(a->second.pending_revocation);
      }
      if (auto t = g.targets.find(member_id); t != g.targets.end()) targets[member_id] = std::move(t->second);
      group.put_member(std::move(member));
    }
    group.set_targets(std::move(targets), g.assignment_epoch.value_or(0));
    out.push_back(std::move(group));
  }
  groups_.clear();
  return out;
}

}  // namespace brokkr::groups::consumer
