#include "app/plugin_set.hpp"

#include <map>
#include <string>

#include "app/broker.hpp"
#include "logging/logging.hpp"
#include "partition/codec_set.hpp"

namespace brokkr::app {

std::vector<std::filesystem::path> plugin_directories(const config::BrokerConfig& config) {
  if (!config.plugins.directories.empty()) return config.plugins.directories;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {std::filesystem::path(BROKKR_INSTALL_PREFIX) / BROKKR_PLUGIN_RELDIR};
  return {(exe.parent_path() / ".." / BROKKR_PLUGIN_RELDIR).lexically_normal()};
}

sdk::PluginContext PluginSet::context_for(const config::BrokerConfig& config,
                                          const std::string& name) const {
  sdk::PluginContext context;
  context.plugin_name = name;
  if (auto it = config.plugins.settings.find(name); it != config.plugins.settings.end()) {
    context.config = it->second;
  } else {
    context.config = sdk::ConfigTable("plugins." + name);
  }
  context.logger = logging::plugin_logger(name);
  context.data_dir = config.data_dir.string();
  context.node_id = config.node_id;
  return context;
}

PluginSet::PluginSet(const config::BrokerConfig& config,
                     const std::vector<std::filesystem::path>& directories)
{
  registry_.scan(directories);
  auto log = logging::get("plugins");
  auto loaded = [&](const char* kind, const std::string& name) {
    for (const auto& entry : registry_.listing()) {
      if (entry.name == name && entry.status == plugin_host::PluginStatus::ok) {
        log->info("loaded plugin {}/{} version {} from {}", kind, name, entry.version,
                  entry.file.string());
      }
    }
  };
  coordinator_ = registry_.create<sdk::ClusterCoordinator>(config.plugins.coordination,
                                                           context_for(config, config.plugins.coordination));
  loaded("coordination", config.plugins.coordination);
  storage_ = registry_.create<sdk::StorageEngine>(config.plugins.storage,
                                                  context_for(config, config.plugins.storage));
  loaded("storage", config.plugins.storage);
  // One plugin per codec id: batches are routed by id, so a second one
  // (`gzip` beside `gzip-isal`) would silently shadow the first.
  std::map<sdk::CompressionType, std::string> codec_plugin_by_id;
  for (const auto& name : config.plugins.codecs) {
    auto codec = registry_.create<sdk::Codec>(name, context_for(config, name));
    auto [first, added] = codec_plugin_by_id.emplace(codec->type(), name);
    if (!added) {
      throw plugin_host::PluginError(
          "codec plugins '" + first->second + "' and '" + name + "' both provide codec id " +
          std::to_string(static_cast<int>(codec->type())) + " (" +
          partition::codec_name(codec->type()) + "): list only one of them in plugins.codecs");
    }
    codecs_.push_back(std::move(codec));
    loaded("codec", name);
  }
  for (const auto& name : config.plugins.assignors) {
    assignors_.push_back(registry_.create<sdk::Assignor>(name, context_for(config, name)));
    loaded("assignor", name);
  }
}

PluginSet::~PluginSet() {
  assignors_.clear();
  storage_.reset();  // its background thread may use the codecs
  codecs_.clear();
  coordinator_.reset();
}

}  // namespace brokkr::app
