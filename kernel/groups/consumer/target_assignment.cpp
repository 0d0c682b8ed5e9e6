#include "groups/consumer/target_assignment.hpp"

#include <algorithm>

namespace brokkr::groups::consumer {

SubscriptionMetadata subscription_metadata(const std::set<std::string>& topic_names,
                                           const cluster::MetadataSnapshot& snapshot) {
  SubscriptionMetadata out;
  for (const auto& name : topic_names) {
    auto it = snapshot.topics.find(name);
    if (it == snapshot.topics.end() || !it->second) continue;
    const auto& topic = *it->second;
    SubscribedTopic facts;
    facts.topic_id = topic.topic_id;
    facts.partitions = static_cast<std::int32_t>(topic.partitions.size());
    for (const auto& partition : topic.partitions) {
      std::vector<std::string> racks;
      for (auto replica : partition.replicas) {
        const auto* broker = snapshot.broker(replica);
        if (broker && broker->rack) racks.push_back(*broker->rack);
      }
      std::sort(racks.begin(), racks.end());
      racks.erase(std::unique(racks.begin(), racks.end()), racks.end());
      facts.partition_racks.push_back(std::move(racks));
    }
    out.emplace(name, std::move(facts));
  }
  return out;
}

namespace {

bool subscribes(const ConsumerGroupMember& member, const std::string& topic) {
  return std::binary_search(member.subscribed_topic_names.begin(), member.subscribed_topic_names.end(), topic) ||
         std::binary_search(member.regex_topics.begin(), member.regex_topics.end(), topic);
}

sdk::AssignmentInput assignor_input(const std::map<std::string, ConsumerGroupMember>& members,
                                    const std::map<std::string, PartitionSet>& current_targets,
                                    const SubscriptionMetadata& metadata) {
  std::map<protocol::Uuid, const std::string*, UuidLess> names_by_id;
  for (const auto& [name, topic] : metadata) names_by_id[topic.topic_id] = &name;

  sdk::AssignmentInput input;
  for (const auto& [id, member] : members) {  // member-id order
    sdk::AssignorMember m;
    m.member_id = id;
    m.instance_id = member.instance_id;
    m.rack = member.rack_id;
    for (const auto& name : member.subscribed_topics()) {
      if (metadata.count(name)) m.subscribed_topics.push_back(name);
    }
    if (auto t = current_targets.find(id); t != current_targets.end()) {
      for (const auto& [topic_id, partitions] : t->second) {
        auto name = names_by_id.find(topic_id);
        if (name == names_by_id.end()) continue;  // topic gone or recreated
        m.owned.push_back(sdk::TopicPartitions{*name->second, {partitions.begin(), partitions.end()}});
      }
      std::sort(m.owned.begin(), m.owned.end(),
                [](const auto& a, const auto& b) { return a.topic < b.topic; });
    }
    input.members.push_back(std::move(m));
  }
  for (const auto& [name, topic] : metadata) {  // name order
    input.topics.push_back(sdk::AssignorTopic{name, topic.partitions, topic.partition_racks});
  }
  return input;
}

}  // namespace

TargetAssignment compute_target_assignment(const std::map<std::string, ConsumerGroupMember>& members,
                                           const std::map<std::string, PartitionSet>& current_targets,
                                           const SubscriptionMetadata& metadata, sdk::Assignor& assignor) {
  sdk::Assignment result = assignor.assign(assignor_input(members, current_targets, metadata));

  TargetAssignment out;
  for (const auto& [id, member] : members) out.targets[id];
  std::map<protocol::Uuid, std::set<std::int32_t>, UuidLess> given;
  for (const auto& [member_id, topics] : result) {
    auto m = members.find(member_id);
    for (const auto& tps : topics) {
      auto t = metadata.find(tps.topic);
      for (auto p : tps.partitions) {
        auto refuse = [&](const char* why) {
          ++out.refused_count;
          if (out.refused.size() < TargetAssignment::kRefusalsKept) {
            out.refused.push_back(tps.topic + "-" + std::to_string(p) + " for member " + member_id + ": " + why);
          }
        };
        if (m == members.end()) {
          refuse("no such member");
        } else if (t == metadata.end()) {
          refuse("not a subscribed topic");
        } else if (p < 0 || p >= t->second.partitions) {
          refuse("no such partition");
        } else if (!subscribes(m->second, tps.topic)) {
          refuse("the member does not subscribe to the topic");
        } else if (!given[t->second.topic_id].insert(p).second) {
          refuse("already given to another member");
        } else {
          out.targets[member_id][t->second.topic_id].insert(p);
        }
      }
    }
  }
  return out;
}

}  // namespace brokkr::groups::consumer
