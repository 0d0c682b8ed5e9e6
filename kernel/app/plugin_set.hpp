// The plugin instances a broker runs with, created from the config: one
// coordination backend and the configured assignors. Owns the registry too,
// and destroys the instances before it (their code lives in its libraries).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "brokkr/sdk/assignor.hpp"
#include "brokkr/sdk/codec.hpp"
#include "brokkr/sdk/coordination.hpp"
#include "brokkr/sdk/storage.hpp"
#include "config/broker_config.hpp"
#include "plugin_host/plugin_registry.hpp"

namespace brokkr::app {

class PluginSet {
 public:
  // Scans `directories` and creates every selected plugin; throws
  // plugin_host::PluginError or sdk::ConfigError naming the plugin.
  PluginSet(const config::BrokerConfig& config, const std::vector<std::filesystem::path>& directories);
  ~PluginSet();

  sdk::ClusterCoordinator& coordinator() { return *coordinator_; }
  sdk::StorageEngine& storage() { return *storage_; }
  const std::vector<plugin_host::PluginPtr<sdk::Assignor>>& assignors() const { return assignors_; }
  const std::vector<plugin_host::PluginPtr<sdk::Codec>>& codecs() const { return codecs_; }

 private:
  sdk::PluginContext context_for(const config::BrokerConfig& config, const std::string& name) const;

  plugin_host::PluginRegistry registry_;
  plugin_host::PluginPtr<sdk::ClusterCoordinator> coordinator_;
  plugin_host::PluginPtr<sdk::StorageEngine> storage_;
  std::vector<plugin_host::PluginPtr<sdk::Codec>> codecs_;
  std::vector<plugin_host::PluginPtr<sdk::Assignor>> assignors_;
};

}  // namespace brokkr::app
