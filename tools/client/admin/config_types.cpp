#include "admin/config_types.hpp"

#include "admin/admin_types.hpp"

namespace brokkr::client::admin {

const char* config_source_name(ConfigSource source) {
  switch (source) {
    case ConfigSource::dynamic_topic: return "DYNAMIC_TOPIC_CONFIG";
    case ConfigSource::dynamic_broker: return "DYNAMIC_BROKER_CONFIG";
    case ConfigSource::dynamic_default_broker: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case ConfigSource::static_broker: return "STATIC_BROKER_CONFIG";
    case ConfigSource::default_config: return "DEFAULT_CONFIG";
    case ConfigSource::dynamic_broker_logger: return "DYNAMIC_BROKER_LOGGER_CONFIG";
    case ConfigSource::dynamic_client_metrics: return "DYNAMIC_CLIENT_METRICS_CONFIG";
    default: return "UNKNOWN";
  }
}

bool is_internal_topic_name(const std::string& name) {
  return name == "__consumer_offsets" || name == "__transaction_state";
}

}  // namespace brokkr::client::admin
