// The `rack-aware` assignor: consumers read from replicas in their own rack
// where they can (cross-rack traffic costs money in the cloud).
//
// Partitions are taken in order, topics by name then partition number. Each
// goes to the member with the fewest partitions so far (ties: the smallest
// member id) among the members subscribed to its topic whose rack
// (ConsumerGroupHeartbeat's rack_id) holds a replica of it; when no
// subscriber is in such a rack, among all its subscribers.
//
// Example: the replicas of topic t live on brokers in rack r1; member a is
// in r1, b in r2: a gets every partition of t. With no racks known, the
// partitions are spread evenly, as a round robin would.
//
// The broker fills AssignorTopic::partition_racks from its brokers' `rack`
// settings and checks what assign() returns (a partition given twice, or to
// a member not subscribed to its topic, is dropped).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "brokkr/sdk/assignor.hpp"

namespace {

using namespace brokkr::sdk;

class RackAwareAssignor final : public Assignor {
 public:
  explicit RackAwareAssignor(const PluginContext& context) {
    context.config.reject_unknown_keys({});  // nothing to configure
  }

  std::string name() const override { return "rack-aware"; }

  Assignment assign(const AssignmentInput& input) override {
    std::map<std::string, const AssignorMember*> members;  // by id
    for (const auto& member : input.members) members.emplace(member.member_id, &member);
    std::map<std::string, const AssignorTopic*> topics;  // by name
    for (const auto& topic : input.topics) topics.emplace(topic.name, &topic);

    Assignment assignment;
    std::map<std::string, std::size_t> load;
    for (const auto& [id, member] : members) {
      assignment[id];  // every member appears
      load[id] = 0;
    }
    for (const auto& [name, topic] : topics) {
      std::vector<const AssignorMember*> subscribers;
      for (const auto& [id, member] : members) {
        const auto& subs = member->subscribed_topics;
        if (std::find(subs.begin(), subs.end(), name) != subs.end()) subscribers.push_back(member);
      }
      if (subscribers.empty()) continue;
      std::map<std::string, std::vector<std::int32_t>> given;  // member id -> partitions
      for (std::int32_t p = 0; p < topic->partition_count; ++p) {
        const AssignorMember* best = pick(subscribers, racks_of(*topic, p), load);
        if (!best) best = pick(subscribers, {}, load);
        ++load[best->member_id];
        given[best->member_id].push_back(p);
      }
      for (auto& [id, partitions] : given) assignment[id].push_back(TopicPartitions{name, std::move(partitions)});
    }
    return assignment;
  }

 private:
  static std::vector<std::string> racks_of(const AssignorTopic& topic, std::int32_t partition) {
    if (partition < 0 || static_cast<std::size_t>(partition) >= topic.partition_racks.size()) return {};
    return topic.partition_racks[static_cast<std::size_t>(partition)];
  }

  // The least loaded subscriber in one of `racks` (any subscriber when
  // `racks` is empty), or nullptr when none is in those racks.
  static const AssignorMember* pick(const std::vector<const AssignorMember*>& subscribers,
                                    const std::vector<std::string>& racks,
                                    const std::map<std::string, std::size_t>& load) {
    const AssignorMember* best = nullptr;
    for (const auto* member : subscribers) {  // in member-id order: ties go to the first
      if (!racks.empty() &&
          (!member->rack || std::find(racks.begin(), racks.end(), *member->rack) == racks.end())) {
        continue;
      }
      if (!best || load.at(member->member_id) < load.at(best->member_id)) best = member;
    }
    return best;
  }
};

}  // namespace

BROKKR_PLUGIN(assignor, RackAwareAssignor, "rack-aware", "1.0.0",
              "gives each partition to a subscriber in a rack holding one of its replicas, "
              "the least loaded first (SDK example)");
