#include "client_plugins.hpp"

#include <cstdlib>
#include <filesystem>

#include "brokkr/sdk/logger.hpp"
#include "client_error.hpp"

namespace brokkr::client {
namespace {

// Plugins log through this; a command-line tool shows only warnings and errors.
class StderrLogger : public sdk::Logger {
 public:
  explicit StderrLogger(std::string name) : name_(std::move(name)) {}
  bool enabled(sdk::LogLevel level) const override { return level >= sdk::LogLevel::warn; }
  void log(sdk::LogLevel level, std::string_view message) override {
    if (enabled(level)) std::fprintf(stderr, "[%s] %.*s\n", name_.c_str(), int(message.size()), message.data());
  }

 private:
  std::string name_;
};

std::filesystem::path plugin_directory() {
  if (const char* dir = std::getenv("BROKKR_PLUGIN_DIR"); dir != nullptr && *dir != '\0') return dir;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::path(BROKKR_INSTALL_PREFIX) / BROKKR_PLUGIN_RELDIR;
  return (exe.parent_path() / ".." / BROKKR_PLUGIN_RELDIR).lexically_normal();
}

sdk::PluginContext context_for(const std::string& name) {
  sdk::PluginContext context;
  context.plugin_name = name;
  context.config = sdk::ConfigTable("plugins." + name);
  context.logger = std::make_shared<StderrLogger>(name);
  return context;
}

}  // namespace

ClientPlugins& ClientPlugins::instance() {
  static ClientPlugins plugins;
  return plugins;
}

ClientPlugins::ClientPlugins() {
  try {
    registry_.scan({plugin_directory()});
  } catch (const plugin_host::PluginError& e) {
    scan_error_ = e.what();  // reported when a plugin is actually needed
  }
}

sdk::Codec& ClientPlugins::codec(sdk::CompressionType type) {
  if (auto it = codecs_.find(type); it != codecs_.end()) return *it->second;
  // Codec plugins are named after their codec, except alternatives such as gzip-isal.
  const std::string wanted = compression_name(type);
  for (const auto& name : registry_.names(sdk::PluginKind::codec)) {
    if (name != wanted) continue;
    auto codec = registry_.create<sdk::Codec>(name, context_for(name));
    if (codec->type() != type) continue;
    return *codecs_.emplace(type, std::move(codec)).first->second;
  }
  throw ClientError("no codec plugin for compression type " + wanted +
                    (scan_error_.empty() ? "" : " (" + scan_error_ + ")"));
}

sdk::Assignor* ClientPlugins::assignor(const std::string& name) {
  if (auto it = assignors_.find(name); it != assignors_.end()) return it->second.get();
  for (const auto& candidate : registry_.names(sdk::PluginKind::assignor)) {
    if (candidate != name) continue;
    auto assignor = registry_.create<sdk::Assignor>(name, context_for(name));
    return assignors_.emplace(name, std::move(assignor)).first->second.get();
  }
  return nullptr;
}

std::vector<std::string> ClientPlugins::assignor_names() const {
  return registry_.names(sdk::PluginKind::assignor);
}

sdk::CompressionType parse_compression_type(const std::string& name) {
  for (auto type : {sdk::CompressionType::none, sdk::CompressionType::gzip, sdk::CompressionType::snappy,
                    sdk::CompressionType::lz4, sdk::CompressionType::zstd}) {
    if (name == compression_name(type)) return type;
  }
  throw ClientError("Invalid compression type '" + name + "': expected none, gzip, snappy, lz4 or zstd");
}

const char* compression_name(sdk::CompressionType type) {
  switch (type) {
    case sdk::CompressionType::none: return "none";
    case sdk::CompressionType::gzip: return "gzip";
    case sdk::CompressionType::snappy: return "snappy";
    case sdk::CompressionType::lz4: return "lz4";
    case sdk::CompressionType::zstd: return "zstd";
  }
  return "unknown";
}

}  // namespace brokkr::client
