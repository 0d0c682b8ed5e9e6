// The plugins the client uses: codec plugins to compress what it produces
// and decompress what it fetches, assignor plugins to compute classic-group
// assignments when it leads a group. The same shared libraries the broker
// loads, found the same way (<bindir>/../<libdir>/brokkr/plugins), or in
// $BROKKR_PLUGIN_DIR when that is set.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "brokkr/sdk/assignor.hpp"
#include "brokkr/sdk/codec.hpp"
#include "plugin_host/plugin_registry.hpp"

namespace brokkr::client {

class ClientPlugins {
 public:
  // Scans the plugin directory once; plugins are created on first use.
  static ClientPlugins& instance();

  // The codec for a compression type; throws ClientError naming the codec
  // when no plugin provides it. Never called for CompressionType::none.
  sdk::Codec& codec(sdk::CompressionType type);
  // An assignor by protocol name ("range", "roundrobin", "uniform", ...);
  // nullptr when no plugin has that name.
  sdk::Assignor* assignor(const std::string& name);
  std::vector<std::string> assignor_names() const;

 private:
  ClientPlugins();
  plugin_host::PluginRegistry registry_;
  std::string scan_error_;
  std::map<sdk::CompressionType, plugin_host::PluginPtr<sdk::Codec>> codecs_;
  std::map<std::string, plugin_host::PluginPtr<sdk::Assignor>> assignors_;
};

// "gzip" -> CompressionType::gzip; throws ClientError listing the valid names.
sdk::CompressionType parse_compression_type(const std::string& name);
const char* compression_name(sdk::CompressionType type);

}  // namespace brokkr::client
