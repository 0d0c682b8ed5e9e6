// --create: "Created topic <name>." (TopicCommand.createTopic).
#include <iostream>
#include <stdexcept>

#include "client_error.hpp"
#include "topics/topic_actions.hpp"
#include "topics/topic_arguments.hpp"

namespace brokkr::cli::topics {
namespace {

constexpr std::int16_t kTopicAlreadyExists = 36;

}  // namespace

int create_topic(const CommandLine& cl, client::admin::AdminClient& admin) {
  client::admin::NewTopic topic;
  topic.name = cl.required("topic");
  const bool has_partitions = cl.has("partitions");
  const bool has_replication = cl.has("replication-factor");
  const std::int64_t partitions = cl.int_value("partitions", -1);
  const std::int64_t replication = cl.int_value("replication-factor", -1);
  if (auto assignment = cl.value("replica-assignment"); assignment && !assignment->empty()) {
    topic.assignments = parse_replica_assignment(*assignment);
  }
  topic.configs = parse_topic_configs(cl.values("config"));

  if (topic.name.find_first_of("._") != std::string::npos) {
    std::cout << "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could "
                 "collide. To avoid issues it is best to use either, but not both.\n";
  }
  if (has_replication && (replication > 32767 || replication < 1)) {
    throw std::runtime_error("The replication factor must be between 1 and 32767 inclusive");
  }
  if (has_partitions && partitions < 1) throw std::runtime_error("The partitions must be greater than 0");
  if (has_partitions) topic.partitions = static_cast<std::int32_t>(partitions);
  if (has_replication) topic.replication_factor = static_cast<std::int16_t>(replication);

  try {
    admin.create_topics({topic});
  } catch (const client::KafkaError& e) {
    if (e.code() == kTopicAlreadyExists && cl.has("if-not-exists")) return 0;
    throw;
  }
  std::cout << "Created topic " << topic.name << ".\n";
  return 0;
}

}  // namespace brokkr::cli::topics
