// --list: the sorted topic names, one per line (TopicCommand.listTopics; like
// Kafka it prints one empty line when nothing matches).
#include <iostream>

#include "topics/topic_actions.hpp"
#include "topics/topic_selection.hpp"

namespace brokkr::cli::topics {

int list_topics(const CommandLine& cl, client::admin::AdminClient& admin) {
  auto names = select_topics(admin, cl.value("topic"), cl.has("exclude-internal"));
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : "\n") + name;
  std::cout << text << "\n";
  return 0;
}

}  // namespace brokkr::cli::topics
