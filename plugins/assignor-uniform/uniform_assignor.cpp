#include "uniform_assignor.hpp"

#include <algorithm>
#include <map>

#include "balancer.hpp"

namespace brokkr::assignors {

UniformAssignor::UniformAssignor(const sdk::PluginContext& context) {
  context.config.reject_unknown_keys({});  // nothing to configure
}

sdk::Assignment UniformAssignor::assign(const sdk::AssignmentInput& input) {
  // Topics by name, members by id: indexes in that order keep the result
  // independent of the input's order.
  std::map<std::string, std::int32_t> counts;
  for (const auto& topic : input.topics) {
    counts[topic.name] = std::max(counts[topic.name], topic.partition_count);
  }
  std::map<std::string, std::int32_t> topic_index;
  std::vector<std::string> topic_names;
  BalanceInput problem;
  for (const auto& [name, count] : counts) {
    topic_index[name] = static_cast<std::int32_t>(topic_names.size());
    topic_names.push_back(name);
    problem.partition_counts.push_back(std::max(count, 0));
  }

  std::map<std::string, const sdk::AssignorMember*> members;  // first of a duplicated id wins
  for (const auto& member : input.members) members.emplace(member.member_id, &member);

  sdk::Assignment assignment;
  std::vector<const std::string*> ids;
  for (const auto& [id, member] : members) {
    assignment[id];  // every member appears
    ids.push_back(&id);
    std::vector<bool> subscribes(topic_names.size(), false);
    for (const auto& topic : member->subscribed_topics) {
      if (auto it = topic_index.find(topic); it != topic_index.end()) subscribes[static_cast<std::size_t>(it->second)] = true;
    }
    std::vector<TopicPartition> current;
    for (const auto& owned : member->owned) {
      auto it = topic_index.find(owned.topic);
      if (it == topic_index.end()) continue;
      for (std::int32_t p : owned.partitions) current.push_back(TopicPartition{it->second, p});
    }
    problem.subscribes.push_back(std::move(subscribes));
    problem.current.push_back(std::move(current));
  }

  auto result = balance(problem);
  for (std::size_t m = 0; m < result.size(); ++m) {
    auto& out = assignment[*ids[m]];
    for (const auto& tp : result[m]) {  // sorted by topic, then partition
      const auto& name = topic_names[static_cast<std::size_t>(tp.topic)];
      if (out.empty() || out.back().topic != name) out.push_back(sdk::TopicPartitions{name, {}});
      out.back().partitions.push_back(tp.partition);
    }
  }
  return assignment;
}

}  // namespace brokkr::assignors
