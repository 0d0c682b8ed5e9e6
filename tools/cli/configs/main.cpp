// brokkr-configs: describe and alter topic and broker configs, with the flags
// and output of Kafka 3.7's kafka-configs.sh (ConfigCommand).
#include <iostream>
#include <string>

#include "admin/admin_client.hpp"
#include "common/client_options.hpp"
#include "configs/config_actions.hpp"
#include "configs/config_entity.hpp"
#include "configs/config_errors.hpp"

namespace {

using namespace brokkr::cli;

std::string g_arguments;  // the command line, for Kafka's error line

int run(const CommandLine& cl) {
  configs::ConfigEntity entity;
  try {
    entity = configs::check_config_arguments(cl);
    brokkr::client::Cluster cluster(connection_properties(cl));
    brokkr::client::admin::AdminClient admin(cluster);
    return cl.has("alter") ? configs::alter_entity_configs(cl, entity, admin)
                           : configs::describe_entity_configs(cl, entity, admin);
  } catch (const UsageError&) {
    throw;
  } catch (const configs::ArgumentError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    // Kafka prints this line and then the exception (as a stack trace).
    std::cerr << "Error while executing config command with args '" << g_arguments << "'\n" << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) g_arguments += (i > 1 ? " " : "") + std::string(argv[i]);
  CommandLine cl("brokkr-configs",
                 "This tool helps to manipulate and describe entity config for a topic or broker");
  configs::declare_config_options(cl);
  return run_tool(cl, argc, argv, "Error while executing config command : ", run);
}
