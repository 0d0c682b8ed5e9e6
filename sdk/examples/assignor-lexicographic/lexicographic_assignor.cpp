// The `lexicographic` assignor: members in member-id order; topics in
// lexicographic order; each topic's partitions dealt out one by one to the
// members subscribed to it, the deal carrying on from topic to topic so the
// partitions spread evenly over the group.
//
// Example: members a, b, c (all subscribed to both), topics x (2 partitions)
// and y (3): x-0 -> a, x-1 -> b, y-0 -> c, y-1 -> a, y-2 -> b.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "brokkr/sdk/assignor.hpp"

namespace {

using namespace brokkr::sdk;

class LexicographicAssignor final : public Assignor {
 public:
  explicit LexicographicAssignor(const PluginContext& context) {
    context.config.reject_unknown_keys({});  // nothing to configure
  }

  std::string name() const override { return "lexicographic"; }

  Assignment assign(const AssignmentInput& input) override {
    std::vector<const AssignorMember*> members;
    for (const auto& member : input.members) members.push_back(&member);
    std::sort(members.begin(), members.end(),
              [](const AssignorMember* a, const AssignorMember* b) { return a->member_id < b->member_id; });

    std::map<std::string, std::int32_t> topics;  // name -> partition count, in name order
    for (const auto& topic : input.topics) {
      topics[topic.name] = std::max(topics[topic.name], topic.partition_count);
    }

    Assignment assignment;
    for (const auto* member : members) assignment[member->member_id];  // everyone appears

    std::size_t next = 0;  // the deal's position in `members`
    for (const auto& [topic, partition_count] : topics) {
      std::vector<bool> subscribed(members.size(), false);
      bool anyone = false;
      for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& subs = members[i]->subscribed_topics;
        subscribed[i] = std::find(subs.begin(), subs.end(), topic) != subs.end();
        anyone = anyone || subscribed[i];
      }
      if (!anyone) continue;

      std::map<std::size_t, std::vector<std::int32_t>> dealt;  // member index -> partitions
      for (std::int32_t partition = 0; partition < partition_count; ++partition) {
        while (!subscribed[next % members.size()]) ++next;
        dealt[next % members.size()].push_back(partition);
        ++next;
      }
      for (auto& [index, partitions] : dealt) {
        assignment[members[index]->member_id].push_back(TopicPartitions{topic, std::move(partitions)});
      }
    }
    return assignment;
  }
};

}  // namespace

BROKKR_PLUGIN(assignor, LexicographicAssignor, "lexicographic", "1.0.0",
              "deals each subscribed topic's partitions to members in member-id order, "
              "topics in lexicographic order (SDK example)");
