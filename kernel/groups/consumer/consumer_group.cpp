#include "groups/consumer/consumer_group.hpp"

#include <algorithm>
#include <iterator>

namespace brokkr::groups::consumer {

std::vector<std::string> ConsumerGroupMember::subscribed_topics() const {
  if (regex_topics.empty()) return subscribed_topic_names;
  std::vector<std::string> out;
  std::set_union(subscribed_topic_names.begin(), subscribed_topic_names.end(), regex_topics.begin(),
                 regex_topics.end(), std::back_inserter(out));
  return out;
}

const ConsumerGroupMember* ConsumerGroup::member(const std::string& member_id) const {
  auto it = members_.find(member_id);
  return it == members_.end() ? nullptr : &it->second;
}

const std::string* ConsumerGroup::static_member_id(const std::string& instance_id) const {
  auto it = static_members_.find(instance_id);
  return it == static_members_.end() ? nullptr : &it->second;
}

void ConsumerGroup::put_member(ConsumerGroupMember member) {
  if (auto it = members_.find(member.member_id); it != members_.end()) {
    unindex(it->second);
    if (it->second.instance_id && it->second.instance_id != member.instance_id) {
      static_members_.erase(*it->second.instance_id);
    }
  }
  if (member.instance_id) static_members_[*member.instance_id] = member.member_id;
  index(member);
  std::string id = member.member_id;
  members_.insert_or_assign(std::move(id), std::move(member));
}

void ConsumerGroup::remove_member(const std::string& member_id) {
  auto it = members_.find(member_id);
  if (it == members_.end()) return;
  unindex(it->second);
  if (it->second.instance_id) {
    auto s = static_members_.find(*it->second.instance_id);
    if (s != static_members_.end() && s->second == member_id) static_members_.erase(s);
  }
  members_.erase(it);
  targets_.erase(member_id);
}

void ConsumerGroup::index(const ConsumerGroupMember& member) {
  for (const auto* set : {&member.assigned, &member.pending_revocation}) {
    for (const auto& [topic, partitions] : *set) {
      auto& epochs = partition_epochs_[topic];
      // A partition has one owner: reconciliation hands out only free ones.
      for (auto p : partitions) epochs.try_emplace(p, Owner{member.member_id, member.member_epoch});
    }
  }
}

void ConsumerGroup::unindex(const ConsumerGroupMember& member) {
  for (const auto* set : {&member.assigned, &member.pending_revocation}) {
    for (const auto& [topic, partitions] : *set) {
      auto it = partition_epochs_.find(topic);
      if (it == partition_epochs_.end()) continue;
      for (auto p : partitions) {
        auto owner = it->second.find(p);
        if (owner != it->second.end() && owner->second.member_id == member.member_id) it->second.erase(owner);
      }
      if (it->second.empty()) partition_epochs_.erase(it);
    }
  }
}

std::int32_t ConsumerGroup::partition_epoch(const protocol::Uuid& topic, std::int32_t partition) const {
  auto it = partition_epochs_.find(topic);
  if (it == partition_epochs_.end()) return -1;
  auto p = it->second.find(partition);
  return p == it->second.end() ? -1 : p->second.epoch;
}

const PartitionSet& ConsumerGroup::target_of(const std::string& member_id) const {
  static const PartitionSet kEmpty;
  auto it = targets_.find(member_id);
  return it == targets_.end() ? kEmpty : it->second;
}

void ConsumerGroup::set_targets(std::map<std::string, PartitionSet> targets, std::int32_t epoch) {
  targets_ = std::move(targets);
  assignment_epoch = epoch;
}

void ConsumerGroup::move_target(const std::string& from, const std::string& to) {
  auto it = targets_.find(from);
  if (it == targets_.end()) return;
  PartitionSet target = std::move(it->second);
  targets_.erase(it);
  targets_[to] = std::move(target);
}

std::set<std::string> ConsumerGroup::subscribed_topic_names() const {
  std::set<std::string> names;
  for (const auto& [id, member] : members_) {
    names.insert(member.subscribed_topic_names.begin(), member.subscribed_topic_names.end());
    names.insert(member.regex_topics.begin(), member.regex_topics.end());
  }
  return names;
}

std::optional<std::string> preferred_assignor(const std::map<std::string, ConsumerGroupMember>& members) {
  std::map<std::string, int> votes;
  for (const auto& [id, member] : members) {
    if (member.server_assignor) ++votes[*member.server_assignor];
  }
  std::optional<std::string> best;
  int best_votes = 0;
  for (const auto& [name, n] : votes) {  // name order: ties go to the smallest
    if (n > best_votes) {
      best = name;
      best_votes = n;
    }
  }
  return best;
}

std::string ConsumerGroup::state() const {
  if (members_.empty()) return "Empty";
  if (group_epoch > assignment_epoch) return "Assigning";
  for (const auto& [id, member] : members_) {
    if (!member.reconciled_to(assignment_epoch)) return "Reconciling";
  }
  return "Stable";
}

}  // namespace brokkr::groups::consumer
