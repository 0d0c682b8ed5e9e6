#include "app/command_line.hpp"

#include "config/config_error.hpp"

#include <stdexcept>

namespace brokkr::app {
namespace {

std::string toml_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

const char* usage_text() {
  return "usage: brokkr [--config FILE] [--node-id N] [--data-dir DIR] [--listen HOST:PORT]\n"
         "              [--advertise HOST:PORT] [--override dotted.key=value]...\n"
         "              [--check-config] [--list-plugins] [--version] [--help]\n"
         "\n"
         "  --config FILE        TOML configuration (default: embedded defaults)\n"
         "  --node-id N          broker.node_id\n"
         "  --data-dir DIR       broker.data_dir\n"
         "  --listen HOST:PORT   address of the first listener\n"
         "  --advertise HOST:PORT  address clients are told for the first listener\n"
         "  --override K=V       set any config key; V is a TOML value or a bare string\n"
         "  --check-config       validate the configuration and plugins, then exit\n"
         "  --list-plugins       list the plugins found in the plugin directories\n"
         "  --version            print the version\n";
}

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine result;
  auto value_of = [&](int& i, const std::string& flag) -> std::string {
    if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    // Accept --flag=value as well as --flag value.
    std::optional<std::string> inline_value;
    if (arg.rfind("--", 0) == 0) {
      if (auto eq = arg.find('='); eq != std::string::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
    }
    auto value = [&]() { return inline_value ? *inline_value : value_of(i, arg); };
    if (arg == "--config") {
      result.sources.file = value();
    } else if (arg == "--node-id") {
      result.sources.overrides.push_back("broker.node_id=" + value());
    } else if (arg == "--data-dir") {
      std::string dir = value();
      result.sources.overrides.push_back("broker.data_dir=" + toml_quote(dir));
    } else if (arg == "--listen") {
      result.listen = value();
    } else if (arg == "--advertise") {
      result.advertise = value();
    } else if (arg == "--override") {
      result.sources.overrides.push_back(value());
    } else if (arg == "--check-config") {
      result.mode = Mode::check_config;
    } else if (arg == "--list-plugins") {
      result.mode = Mode::list_plugins;
    } else if (arg == "--version") {
      result.mode = Mode::version;
    } else if (arg == "--help" || arg == "-h") {
      result.mode = Mode::help;
    } else {
      throw std::invalid_argument("unknown argument '" + arg + "' (see --help)");
    }
  }
  return result;
}

config::BrokerConfig load_config(const CommandLine& command_line) {
  config::BrokerConfig config = config::load_config(command_line.sources);
  if (command_line.listen) {
    config.listeners.front().listen = config::parse_host_port("--listen", *command_line.listen);
  }
  if (command_line.advertise) {
    config.listeners.front().advertise =
        config::parse_host_port("--advertise", *command_line.advertise);
    if (config.listeners.front().advertise->port == 0) {
      throw config::ConfigError("--advertise = \"" + *command_line.advertise + "\": port must not be 0");
    }
  }
  return config;
}

}  // namespace brokkr::app
