#include "roundrobin_assignor.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace brokkr::assignors {

RoundRobinAssignor::RoundRobinAssignor(const sdk::PluginContext& context) {
  context.config.reject_unknown_keys({});  // nothing to configure
}

sdk::Assignment RoundRobinAssignor::assign(const sdk::AssignmentInput& input) {
  sdk::Assignment assignment;
  std::map<std::string, std::set<std::string>> by_id;  // member id -> topics, in id order
  for (const auto& member : input.members) {
    assignment[member.member_id];  // every member appears
    by_id[member.member_id].insert(member.subscribed_topics.begin(), member.subscribed_topics.end());
  }
  std::vector<std::pair<const std::string*, const std::set<std::string>*>> members;
  for (const auto& [id, topics] : by_id) members.emplace_back(&id, &topics);

  std::map<std::string, std::int32_t> topics;  // name -> partition count, by name
  for (const auto& topic : input.topics) {
    topics[topic.name] = std::max(topics[topic.name], topic.partition_count);
  }

  std::size_t next = 0;  // where the deal stands in `members`
  for (const auto& [topic, partition_count] : topics) {
    // Who may take this topic's partitions; none: nobody subscribes.
    std::vector<bool> subscribed(members.size());
    bool anyone = false;
    for (std::size_t i = 0; i < members.size(); ++i) {
      subscribed[i] = members[i].second->count(topic) > 0;
      anyone = anyone || subscribed[i];
    }
    if (!anyone) continue;
    std::map<std::size_t, std::vector<std::int32_t>> dealt;  // member index -> partitions
    for (std::int32_t p = 0; p < partition_count; ++p) {
      while (!subscribed[next % members.size()]) ++next;
      dealt[next % members.size()].push_back(p);
      ++next;
    }
    for (auto& [index, partitions] : dealt) {
      assignment[*members[index].first].push_back(sdk::TopicPartitions{topic, std::move(partitions)});
    }
  }
  return assignment;
}

}  // namespace brokkr::assignors
