#include "group/group_settings.hpp"

#include <map>

#include "client_error.hpp"

namespace brokkr::client {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    auto item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// Kafka's Java class names for the assignors our plugins implement.
std::string assignor_protocol_name(const std::string& name) {
  static const std::map<std::string, std::string> java_names = {
      {"org.apache.kafka.clients.consumer.RangeAssignor", "range"},
      {"org.apache.kafka.clients.consumer.RoundRobinAssignor", "roundrobin"},
      {"org.apache.kafka.clients.consumer.StickyAssignor", "sticky"},
      {"org.apache.kafka.clients.consumer.CooperativeStickyAssignor", "cooperative-sticky"},
  };
  auto it = java_names.find(name);
  return it == java_names.end() ? name : it->second;
}

std::chrono::milliseconds positive_ms(const Properties& p, const std::string& key, std::int64_t fallback) {
  auto value = p.get_int(key, fallback);
  if (value <= 0) throw ClientError("Invalid value " + std::to_string(value) + " for configuration " + key + ": must be positive");
  return std::chrono::milliseconds(value);
}

}  // namespace

GroupSettings parse_group_settings(const Properties& properties) {
  GroupSettings s;
  s.group_id = properties.get_string("group.id", "");
  if (s.group_id.empty()) throw ClientError("group.id is required to subscribe to topics");
  auto protocol = properties.get_string("group.protocol", "classic");
  if (protocol == "classic" || protocol == "CLASSIC") {
    s.protocol = GroupProtocol::classic;
  } else if (protocol == "consumer" || protocol == "CONSUMER") {
    s.protocol = GroupProtocol::consumer;
  } else {
    throw ClientError("Invalid value " + protocol + " for configuration group.protocol: expected classic or consumer");
  }
  s.instance_id = properties.get("group.instance.id");
  s.rack = properties.get("client.rack");
  s.session_timeout = positive_ms(properties, "session.timeout.ms", 45000);
  s.heartbeat_interval = positive_ms(properties, "heartbeat.interval.ms", 3000);
  s.rebalance_timeout = positive_ms(properties, "max.poll.interval.ms", 300000);
  if (auto strategy = properties.get("partition.assignment.strategy")) {
    s.assignors.clear();
    for (const auto& name : split_list(*strategy)) s.assignors.push_back(assignor_protocol_name(name));
    if (s.assignors.empty()) throw ClientError("partition.assignment.strategy names no assignor");
  }
  s.remote_assignor = properties.get("group.remote.assignor");
  return s;
}

}  // namespace brokkr::client
