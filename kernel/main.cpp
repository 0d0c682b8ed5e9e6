// brokkr: a Kafka-compatible broker. See usage_text() for the flags.
#include <cstdio>
#include <exception>
#include <set>

#include "app/broker.hpp"
#include "app/command_line.hpp"
#include "app/plugin_set.hpp"
#include "config/config_error.hpp"
#include "logging/logging.hpp"
#include "plugin_host/plugin_registry.hpp"

namespace {

using namespace brokkr;

std::set<std::string> selected_plugins(const config::BrokerConfig& config) {
  std::set<std::string> names(config.plugins.assignors.begin(), config.plugins.assignors.end());
  names.insert(config.plugins.codecs.begin(), config.plugins.codecs.end());
  names.insert(config.plugins.coordination);
  names.insert(config.plugins.storage);
  return names;
}

int list_plugins(const config::BrokerConfig& config) {
  for (const auto& dir : app::plugin_directories(config)) std::printf("# directory %s\n", dir.c_str());
  plugin_host::PluginRegistry registry;
  registry.scan(app::plugin_directories(config));
  std::printf("%-14s %-20s %-10s %-8s %s\n", "KIND", "NAME", "VERSION", "STATUS", "FILE");
  for (const auto& entry : registry.listing()) {
    bool ok = entry.status == plugin_host::PluginStatus::ok;
    std::printf("%-14s %-20s %-10s %-8s %s%s%s\n", entry.kind ? sdk::to_string(*entry.kind) : "-",
                entry.name.empty() ? "-" : entry.name.c_str(),
                entry.version.empty() ? "-" : entry.version.c_str(), to_string(entry.status),
                entry.file.c_str(), ok ? "" : ": ", ok ? "" : entry.reason.c_str());
  }
  return 0;
}

int run(int argc, char** argv) {
  app::CommandLine command_line = app::parse_command_line(argc, argv);
  switch (command_line.mode) {
    case app::Mode::help:
      std::fputs(app::usage_text(), stdout);
      return 0;
    case app::Mode::version:
      std::printf("brokkr %s\n", BROKKR_VERSION);
      return 0;
    default:
      break;
  }
  config::BrokerConfig config = app::load_config(command_line);
  logging::configure(config.logging, selected_plugins(config));
  if (command_line.mode == app::Mode::list_plugins) return list_plugins(config);
  if (command_line.mode == app::Mode::check_config) {
    // Creating the plugins validates their config tables; they touch no
    // files until started.
    app::PluginSet plugins(config, app::plugin_directories(config));
    std::printf("configuration OK\n");
    return 0;
  }
  return app::Broker(std::move(config)).run();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "brokkr: %s\n", e.what());
    return 2;
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "brokkr: config error: %s\n", e.what());
    return 1;
  } catch (const sdk::ConfigError& e) {
    std::fprintf(stderr, "brokkr: config error: %s\n", e.what());
    return 1;
  } catch (const plugin_host::PluginError& e) {
    std::fprintf(stderr, "brokkr: plugin error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "brokkr: error: %s\n", e.what());
    return 1;
  }
}
