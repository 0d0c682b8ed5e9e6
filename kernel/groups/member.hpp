// One member of a classic group: who it is, what it supports, what it was
// assigned, and the JoinGroup / SyncGroup answer it may be waiting for.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "groups/group_types.hpp"

namespace brokkr::groups {

using TimePoint = std::chrono::steady_clock::time_point;

struct Member {
  std::string id;
  std::optional<std::string> instance_id;  // static membership (group.instance.id)
  std::string client_id;
  std::string client_host;
  std::int32_t rebalance_timeout_ms = 0;
  std::int32_t session_timeout_ms = 0;
  std::string protocol_type;
  std::vector<Protocol> protocols;  // in the member's order of preference
  Bytes assignment;

  JoinCallback join_callback;  // set while its JoinGroup waits
  SyncCallback sync_callback;  // set while its SyncGroup waits
  bool is_new = false;         // joined, but not yet part of a generation
  // When the member expires without a heartbeat; none while it waits in a
  // rebalance (which keeps it alive).
  std::optional<TimePoint> session_deadline;

  bool awaiting_join() const { return static_cast<bool>(join_callback); }
  bool awaiting_sync() const { return static_cast<bool>(sync_callback); }
  // Its metadata for `protocol`, or null when it does not support it.
  const Bytes* metadata_for(const std::string& protocol) const;
  // Its most preferred protocol among `candidates` (which it must support).
  std::optional<std::string> vote(const std::set<std::string>& candidates) const;
  // Same protocols with the same metadata in the same order.
  bool matches(const std::vector<Protocol>& other) const { return protocols == other; }
};

}  // namespace brokkr::groups
