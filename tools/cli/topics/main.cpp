// brokkr-topics: create, delete, describe, list or grow topics, with the
// flags and output of Kafka 3.7's kafka-topics.sh (TopicCommand).
#include <stdexcept>

#include "admin/admin_client.hpp"
#include "admin/admin_errors.hpp"
#include "common/client_options.hpp"
#include "topics/topic_actions.hpp"
#include "topics/topic_command_checks.hpp"

namespace {

using namespace brokkr::cli;

int run(const CommandLine& cl) {
  const std::string action = topics::check_topic_arguments(cl);
  try {
    brokkr::client::Cluster cluster(connection_properties(cl));
    brokkr::client::admin::AdminClient admin(cluster);
    if (action == "create") return topics::create_topic(cl, admin);
    if (action == "alter") return topics::alter_topic(cl, admin);
    if (action == "list") return topics::list_topics(cl, admin);
    if (action == "describe") return topics::describe_topics(cl, admin);
    return topics::delete_topics(cl, admin);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    // Kafka prints the exception's message, without its class name.
    throw std::runtime_error(brokkr::client::admin::kafka_message(e));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl("brokkr-topics", "This tool helps to create, delete, describe, or change a topic.");
  topics::declare_topic_options(cl);
  return run_tool(cl, argc, argv, "Error while executing topic command : ", run);
}
