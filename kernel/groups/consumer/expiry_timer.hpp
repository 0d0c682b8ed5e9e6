// Runs ConsumerGroupManager::expire_members() periodically on the event
// loop, so members that stop heartbeating are fenced after their session
// timeout (a quarter second late at most).
//
// Destroy it before the io_context, and only once the io_context has stopped
// running (the broker does: it is declared after the io_context and
// destroyed after io.run() returned).
#pragma once

#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "groups/consumer/consumer_group_manager.hpp"

namespace brokkr::groups::consumer {

class ExpiryTimer {
 public:
  ExpiryTimer(boost::asio::io_context& io, ConsumerGroupManager& manager,
              std::chrono::milliseconds period = std::chrono::milliseconds(250));
  ~ExpiryTimer();
  ExpiryTimer(const ExpiryTimer&) = delete;
  ExpiryTimer& operator=(const ExpiryTimer&) = delete;

  void start();

 private:
  void arm();

  boost::asio::steady_timer timer_;
  ConsumerGroupManager& manager_;
  std::chrono::milliseconds period_;
};

}  // namespace brokkr::groups::consumer
