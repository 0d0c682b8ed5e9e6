// --alter: grows every matching topic to --partitions (TopicCommand.alterTopic);
// a shrink is refused by the broker (INVALID_PARTITIONS, its message printed).
#include <stdexcept>

#include "topics/topic_actions.hpp"
#include "topics/topic_arguments.hpp"
#include "topics/topic_selection.hpp"

namespace brokkr::cli::topics {

int alter_topic(const CommandLine& cl, client::admin::AdminClient& admin) {
  auto total = static_cast<std::int32_t>(cl.int_value("partitions", 0));
  std::map<std::int32_t, std::vector<std::int32_t>> assignment;
  if (auto text = cl.value("replica-assignment"); text && !text->empty()) assignment = parse_replica_assignment(*text);

  auto topics = select_topics(admin, cl.value("topic"), cl.has("exclude-internal"));
  ensure_topic_exists(topics, cl.value("topic"), !cl.has("if-exists"));
  if (topics.empty()) return 0;

  std::vector<client::admin::NewPartitions> requests;
  auto descriptions = admin.describe_topics(topics);
  for (const auto& topic : descriptions) {
    client::admin::NewPartitions grow{topic.name, total, {}};
    // With --replica-assignment the new partitions take the entries after
    // the ones that already exist.
    for (const auto& [partition, brokers] : assignment) {
      if (partition >= static_cast<std::int32_t>(topic.partitions.size())) grow.assignments.push_back(brokers);
    }
    requests.push_back(std::move(grow));
  }
  admin.create_partitions(requests);
  return 0;
}

}  // namespace brokkr::cli::topics
