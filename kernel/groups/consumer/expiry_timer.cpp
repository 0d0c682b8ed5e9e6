#include "groups/consumer/expiry_timer.hpp"

#include "logging/logging.hpp"

namespace brokkr::groups::consumer {

ExpiryTimer::ExpiryTimer(boost::asio::io_context& io, ConsumerGroupManager& manager,
                         std::chrono::milliseconds period)
    : timer_(io), manager_(manager), period_(period) {}

ExpiryTimer::~ExpiryTimer() { timer_.cancel(); }

void ExpiryTimer::start() { arm(); }

void ExpiryTimer::arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: shutting down
    try {
      manager_.expire_members();
    } catch (const std::exception& e) {
      logging::get("groups")->error("expiring consumer group members failed: {}", e.what());
    }
    arm();
  });
}

}  // namespace brokkr::groups::consumer
