// The consumer properties that shape group membership, parsed once.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "properties.hpp"

namespace brokkr::client {

enum class GroupProtocol { classic, consumer };

struct GroupSettings {
  std::string group_id;
  GroupProtocol protocol = GroupProtocol::classic;
  std::optional<std::string> instance_id;  // group.instance.id (static membership)
  std::optional<std::string> rack;         // client.rack
  std::chrono::milliseconds session_timeout{45000};
  std::chrono::milliseconds heartbeat_interval{3000};
  std::chrono::milliseconds rebalance_timeout{300000};  // max.poll.interval.ms
  // Classic: assignor protocol names in preference order.
  std::vector<std::string> assignors{"range", "roundrobin"};
  // Consumer protocol: the broker-side assignor, or nullopt for its default.
  std::optional<std::string> remote_assignor;
};

// Throws ClientError naming the property for a missing group.id or a bad value.
// partition.assignment.strategy takes short names (range, roundrobin,
// uniform, or any assignor plugin) or Kafka's class names (…RangeAssignor).
GroupSettings parse_group_settings(const Properties& properties);

}  // namespace brokkr::client
