// The coordinator's holder of one group (internal to the coordinator's
// sources): the group, its lock, and the one timer that fires at the
// group's earliest deadline.
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/steady_timer.hpp>

#include "groups/group.hpp"
#include "groups/group_coordinator.hpp"

namespace brokkr::groups {

struct GroupCoordinator::Entry {
  Entry(boost::asio::io_context& io, std::string id, std::int64_t now_ms) : group(std::move(id), now_ms), timer(io) {}

  std::mutex mutex;
  Group group;
  boost::asio::steady_timer timer;
  std::optional<TimePoint> armed;  // when the timer fires, if waiting
  std::weak_ptr<Entry> self;
};

}  // namespace brokkr::groups
