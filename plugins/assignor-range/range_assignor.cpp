#include "range_assignor.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace brokkr::assignors {

RangeAssignor::RangeAssignor(const sdk::PluginContext& context) {
  context.config.reject_unknown_keys({});  // nothing to configure
}

sdk::Assignment RangeAssignor::assign(const sdk::AssignmentInput& input) {
  sdk::Assignment assignment;
  // member id -> subscribed topics; std::map keeps member-id order.
  std::map<std::string, std::set<std::string>> subscriptions;
  for (const auto& member : input.members) {
    assignment[member.member_id];  // every member appears
    auto& topics = subscriptions[member.member_id];
    topics.insert(member.subscribed_topics.begin(), member.subscribed_topics.end());
  }
  std::map<std::string, std::int32_t> topics;  // name -> partition count, by name
  for (const auto& topic : input.topics) {
    topics[topic.name] = std::max(topics[topic.name], topic.partition_count);
  }

  for (const auto& [topic, partition_count] : topics) {
    std::vector<const std::string*> subscribers;
    for (const auto& [member_id, subscribed] : subscriptions) {
      if (subscribed.count(topic)) subscribers.push_back(&member_id);
    }
    if (subscribers.empty() || partition_count <= 0) continue;
    const auto members = static_cast<std::int32_t>(subscribers.size());
    const std::int32_t per_member = partition_count / members;
    const std::int32_t with_extra = partition_count % members;
    std::int32_t next = 0;
    for (std::int32_t i = 0; i < members; ++i) {
      const std::int32_t length = per_member + (i < with_extra ? 1 : 0);
      if (length == 0) continue;
      sdk::TopicPartitions range{topic, {}};
      for (std::int32_t p = next; p < next + length; ++p) range.partitions.push_back(p);
      next += length;
      assignment[*subscribers[static_cast<std::size_t>(i)]].push_back(std::move(range));
    }
  }
  return assignment;
}

}  // namespace brokkr::assignors
