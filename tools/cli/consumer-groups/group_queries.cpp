#include "group_queries.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "client/client_error.hpp"
#include "client/error_codes.hpp"
#include "client/offsets.hpp"
#include "protocol/generated/consumer_group_describe_request.hpp"
#include "protocol/generated/consumer_group_describe_response.hpp"
#include "protocol/generated/consumer_protocol_assignment.hpp"
#include "protocol/generated/delete_groups_request.hpp"
#include "protocol/generated/delete_groups_response.hpp"
#include "protocol/generated/describe_groups_request.hpp"
#include "protocol/generated/describe_groups_response.hpp"
#include "protocol/generated/list_groups_request.hpp"
#include "protocol/generated/list_groups_response.hpp"
#include "protocol/generated/offset_delete_request.hpp"
#include "protocol/generated/offset_delete_response.hpp"
#include "protocol/wire_reader.hpp"

namespace brokkr::cli::groups {
namespace {

constexpr std::int16_t kGroupIdNotFound = 69;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::optional<std::string> find_name(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names) {
    if (lower(n) == lower(name)) return n;
  }
  return std::nullopt;
}

// A classic member's assignment: ConsumerProtocolAssignment bytes after an
// int16 version (newer versions read as the newest we know, as Kafka does).
std::vector<client::TopicPartition> decode_assignment(const std::vector<std::uint8_t>& bytes) {
  std::vector<client::TopicPartition> out;
  if (bytes.size() < 2) return out;
  try {
    protocol::WireReader reader(bytes);
    std::int16_t version = reader.read_int16();
    if (version < 0) return out;
    protocol::ConsumerProtocolAssignment assignment;
    assignment.decode(reader, std::min(version, protocol::ConsumerProtocolAssignment::kHighestVersion));
    for (const auto& t : assignment.assigned_partitions) {
      for (auto p : t.partitions) out.push_back({t.topic, p});
    }
  } catch (const std::exception&) {
    out.clear();  // not a consumer assignment: show none
  }
  std::sort(out.begin(), out.end());
  return out;
}

// DescribeGroups; false when the coordinator answers GROUP_ID_NOT_FOUND (a
// KIP-848 group, which ConsumerGroupDescribe describes).
bool describe_classic(client::Cluster& cluster, const std::string& group, GroupDescription& out) {
  bool found = true;
  client::with_coordinator(cluster, group, [&](client::BrokerConnection& connection) -> std::int16_t {
    out.coordinator = connection.address();
    protocol::DescribeGroupsRequest request;
    request.groups = {group};
    auto response = connection.call<protocol::DescribeGroupsResponse>(request);
    if (response.groups.size() != 1) throw client::ClientError("DescribeGroups answered no group for " + group);
    const auto& g = response.groups.front();
    if (g.error_code == kGroupIdNotFound) {
      found = false;
      return 0;
    }
    if (g.error_code != 0) return g.error_code;
    out.state = canonical_state(g.group_state).value_or(g.group_state);
    out.assignor = g.protocol_data;
    out.members.clear();
    for (const auto& m : g.members) {
      out.members.push_back(MemberDescription{m.member_id, m.group_instance_id, m.client_id, m.client_host,
                                              decode_assignment(m.member_assignment)});
    }
    return 0;
  });
  return found;
}

void describe_consumer_protocol(client::Cluster& cluster, const std::string& group, GroupDescription& out) {
  client::with_coordinator(cluster, group, [&](client::BrokerConnection& connection) -> std::int16_t {
    out.coordinator = connection.address();
    if (connection.broker_versions(protocol::ConsumerGroupDescribeRequest::kApiKey).max < 0) {
      out.state = "Dead";
      return 0;
    }
    protocol::ConsumerGroupDescribeRequest request;
    request.group_ids = {group};
    auto response = connection.call<protocol::ConsumerGroupDescribeResponse>(request);
    if (response.groups.size() != 1) throw client::ClientError("ConsumerGroupDescribe answered no group for " + group);
    const auto& g = response.groups.front();
    if (g.error_code == kGroupIdNotFound) {
      out.state = "Dead";
      return 0;
    }
    if (g.error_code != 0) return g.error_code;
    out.state = canonical_state(g.group_state).value_or(g.group_state);
    out.assignor = g.assignor_name;
    out.members.clear();
    for (const auto& m : g.members) {
      MemberDescription member{m.member_id, m.instance_id, m.client_id, m.client_host, {}};
      for (const auto& t : m.assignment.topic_partitions) {
        for (auto p : t.partitions) member.assignment.push_back({t.topic_name, p});
      }
      std::sort(member.assignment.begin(), member.assignment.end());
      out.members.push_back(std::move(member));
    }
    return 0;
  });
}

}  // namespace

const std::vector<std::string>& group_state_names() {
  static const std::vector<std::string> names{"PreparingRebalance", "CompletingRebalance", "Stable", "Dead",
                                              "Empty", "Assigning", "Reconciling"};
  return names;
}

std::optional<std::string> canonical_state(const std::string& name) { return find_name(group_state_names(), name); }

std::optional<std::string> canonical_type(const std::string& name) {
  static const std::vector<std::string> names{"Consumer", "Classic", "Share"};
  return find_name(names, name);
}

std::string java_exception_text(std::int16_t code) {
  auto description = client::describe_error(code);
  return std::string("org.apache.kafka.common.errors.") + description.exception + ": " + description.message;
}

std::vector<GroupListing> list_consumer_groups(client::Cluster& cluster, const std::vector<std::string>& states,
                                               const std::vector<std::string>& types) {
  cluster.refresh_metadata(std::vector<std::string>{});
  std::set<std::int32_t> nodes;
  for (const auto& [id, address] : cluster.metadata().brokers) nodes.insert(id);
  std::map<std::string, GroupListing> found;
  for (auto node : nodes) {
    auto& connection = cluster.broker(node);
    protocol::ListGroupsRequest request;
    request.states_filter = states;
    request.types_filter = types;
    auto response = connection.call<protocol::ListGroupsResponse>(request);
    client::throw_if_error(response.error_code, "ListGroups at " + connection.address().to_string());
    for (const auto& g : response.groups) {
      if (!g.protocol_type.empty() && g.protocol_type != "consumer") continue;
      // Brokers before ListGroups v5 do not filter by type: do it here.
      auto type = canonical_type(g.group_type.empty() ? "classic" : g.group_type).value_or(g.group_type);
      if (!types.empty() && !find_name(types, type)) continue;
      found[g.group_id] = GroupListing{g.group_id, canonical_state(g.group_state).value_or("Unknown"), type};
    }
  }
  std::vector<GroupListing> out;
  for (auto& [id, listing] : found) out.push_back(std::move(listing));
  return out;
}

GroupDescription describe_group(client::Cluster& cluster, const std::string& group) {
  GroupDescription out;
  out.group_id = group;
  if (!describe_classic(cluster, group, out)) describe_consumer_protocol(cluster, group, out);
  return out;
}

std::map<std::string, std::int16_t> delete_groups(client::Cluster& cluster, const std::vector<std::string>& groups) {
  std::map<std::string, std::int16_t> out;
  for (const auto& group : groups) {
    std::int16_t result = 0;
    try {
      client::with_coordinator(cluster, group, [&](client::BrokerConnection& connection) -> std::int16_t {
        protocol::DeleteGroupsRequest request;
        request.groups_names = {group};
        auto response = connection.call<protocol::DeleteGroupsResponse>(request);
        if (response.results.size() != 1) throw client::ClientError("DeleteGroups answered no result for " + group);
        result = response.results.front().error_code;
        // Coordinator moves are retried by with_coordinator; the rest is the answer.
        return (result == 14 || result == 15 || result == 16) ? result : 0;
      });
    } catch (const client::KafkaError& e) {
      result = e.code();
    }
    out[group] = result;
  }
  return out;
}

OffsetDeleteResult delete_offsets(client::Cluster& cluster, const std::string& group,
                                  const std::vector<client::TopicPartition>& partitions) {
  OffsetDeleteResult out;
  auto sorted = partitions;
  std::sort(sorted.begin(), sorted.end());
  protocol::OffsetDeleteRequest request;
  request.group_id = group;
  for (const auto& tp : sorted) {
    if (request.topics.empty() || request.topics.back().name != tp.topic) request.topics.emplace_back().name = tp.topic;
    request.topics.back().partitions.emplace_back().partition_index = tp.partition;
  }
  try {
    client::with_coordinator(cluster, group, [&](client::BrokerConnection& connection) -> std::int16_t {
      auto response = connection.call<protocol::OffsetDeleteResponse>(request);
      out.partitions.clear();
      out.error = response.error_code;
      if (out.error == 14 || out.error == 15 || out.error == 16) return out.error;
      for (const auto& t : response.topics) {
        for (const auto& p : t.partitions) out.partitions[{t.name, p.partition_index}] = p.error_code;
      }
      return 0;
    });
  } catch (const client::KafkaError& e) {
    out.error = e.code();
  }
  // As Kafka's admin: the first partition error fails the whole request.
  if (out.error == 0) {
    for (const auto& [tp, code] : out.partitions) {
      if (code != 0) {
        out.error = code;
        break;
      }
    }
  }
  return out;
}

std::vector<client::TopicPartition> partitions_of(client::Cluster& cluster, const std::string& topic) {
  cluster.refresh_metadata(std::vector<std::string>{topic});
  auto it = cluster.metadata().topics.find(topic);
  if (it == cluster.metadata().topics.end() || it->second.error != 0) {
    client::throw_if_error(it == cluster.metadata().topics.end() ? 3 : it->second.error, "");
  }
  std::vector<client::TopicPartition> out;
  for (const auto& p : it->second.partitions) out.push_back({topic, p.partition});
  return out;
}

}  // namespace brokkr::cli::groups
