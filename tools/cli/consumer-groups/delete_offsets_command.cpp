// --delete-offsets --group G --topic t[:p,...]: OffsetDelete, reported as
// Kafka's deleteOffsets: a summary line, then TOPIC (30) PARTITION (15)
// STATUS (15) rows.
#include <iostream>
#include <set>

#include "client/client_error.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace brokkr::cli::groups {

int delete_offsets_command(const CommandLine& command_line, client::Cluster& cluster) {
  const std::string group = command_line.required("group");
  const auto topics = command_line.values("topic");
  std::set<client::TopicPartition> partitions;
  std::map<std::string, std::int16_t> unknown_topics;  // topics whose partitions could not be listed
  for (const auto& topic : topics) {
    if (topic.find(':') != std::string::npos) {
      for (auto& tp : topic_arguments({topic}, cluster)) partitions.insert(tp);
      continue;
    }
    try {
      for (auto& tp : partitions_of(cluster, topic)) partitions.insert(tp);
    } catch (const client::KafkaError& e) {
      unknown_topics[topic] = e.code();
    }
  }
  auto result = delete_offsets(cluster, group, {partitions.begin(), partitions.end()});
  std::string topic_list;
  for (const auto& t : topics) topic_list += (topic_list.empty() ? "" : ", ") + t;
  switch (result.error) {
    case 0: std::cout << "Request succeed for deleting offsets with topic " << topic_list << " group " << group << "\n"; break;
    case 24: std::cerr << "Error: '" << group << "' is not valid.\n"; break;
    case 69: std::cerr << "Error: '" << group << "' does not exist.\n"; break;
    case 30: std::cerr << "Error: Access to '" << group << "' is not authorized.\n"; break;
    case 68:
      std::cerr << "Error: Deleting offsets of a consumer group '" << group
                << "' is forbidden if the group is not empty.\n";
      break;
    case 86: case 29: case 3:
      std::cerr << "Error: Encounter some partition level error, see the follow-up details:\n";
      break;
    default: std::cerr << "Error: Encounter some unknown error: " << java_exception_text(result.error) << "\n";
  }
  auto line = [](const std::string& topic, const std::string& partition, const std::string& status) {
    std::cout << '\n' << pad(topic, 30) << ' ' << pad(partition, 15) << ' ' << pad(status, 15);
  };
  line("TOPIC", "PARTITION", "STATUS");
  for (const auto& [topic, code] : unknown_topics) line(topic, "Not Provided", "Error: :" + java_exception_text(code));
  for (const auto& tp : partitions) {
    auto it = result.partitions.find(tp);
    std::int16_t code = it != result.partitions.end() ? it->second : result.error;
    line(tp.topic, std::to_string(tp.partition), code == 0 ? "Successful" : "Error: :" + java_exception_text(code));
  }
  std::cout << '\n';
  return result.error == 0 && unknown_topics.empty() ? 0 : 1;
}

}  // namespace brokkr::cli::groups
