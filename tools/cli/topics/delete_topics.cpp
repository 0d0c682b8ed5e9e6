// --delete: deletes every topic the --topic regex matches; prints nothing
// (TopicCommand.deleteTopic).
#include "topics/topic_actions.hpp"
#include "topics/topic_selection.hpp"

namespace brokkr::cli::topics {

int delete_topics(const CommandLine& cl, client::admin::AdminClient& admin) {
  auto topics = select_topics(admin, cl.value("topic"), cl.has("exclude-internal"));
  ensure_topic_exists(topics, cl.value("topic"), !cl.has("if-exists"));
  admin.delete_topics(topics);
  return 0;
}

}  // namespace brokkr::cli::topics
