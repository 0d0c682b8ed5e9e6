#include "admin/admin_client.hpp"

#include <chrono>
#include <thread>

#include "client_error.hpp"

namespace brokkr::client::admin {
namespace {

constexpr std::int16_t kNotController = 41;
constexpr int kControllerAttempts = 5;

}  // namespace

void AdminClient::on_controller(const std::function<std::int16_t(BrokerConnection&)>& call) {
  for (int attempt = 1;; ++attempt) {
    std::int16_t error = call(cluster_.controller());
    if (error != kNotController || attempt == kControllerAttempts) return;
    // The controller moved: find it again.
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
    cluster_.refresh_metadata(std::vector<std::string>{});
  }
}

BrokerConnection& AdminClient::connection_for(const ConfigResource& resource) {
  // A broker's own configs are described and altered at that broker (as
  // Kafka's admin client does); everything else at any broker.
  if ((resource.type == ResourceType::broker || resource.type == ResourceType::broker_logger) &&
      !resource.name.empty()) {
    std::int32_t id = 0;
    try {
      std::size_t used = 0;
      id = std::stoi(resource.name, &used);
      if (used != resource.name.size()) throw std::invalid_argument(resource.name);
    } catch (const std::exception&) {
      throw ClientError("The broker id '" + resource.name + "' is not an integer");
    }
    return cluster_.broker(id);
  }
  return cluster_.any_broker();
}

}  // namespace brokkr::client::admin
