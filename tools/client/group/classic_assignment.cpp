#include "group/classic_assignment.hpp"

#include <algorithm>
#include <set>

#include "client_error.hpp"
#include "client_plugins.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/generated/consumer_protocol_assignment.hpp"
#include "protocol/generated/consumer_protocol_subscription.hpp"
#include "protocol/wire_reader.hpp"
#include "protocol/wire_writer.hpp"

namespace brokkr::client {
namespace {

// Version 1 adds owned partitions (what sticky assignors need) and is read
// by every client; later versions add fields only Java's assignors use.
constexpr std::int16_t kSubscriptionVersion = 1;
constexpr std::int16_t kAssignmentVersion = 1;

template <typename Message>
std::vector<std::uint8_t> encode_versioned(const Message& message, std::int16_t version) {
  protocol::WireWriter w;
  w.write_int16(version);
  message.encode(w, version);
  return w.take();
}

template <typename Message>
Message decode_versioned(const std::vector<std::uint8_t>& bytes, const char* what) {
  Message message;
  try {
    protocol::WireReader r(bytes);
    // Newer versions than ours are read as ours: fields are only appended.
    auto version = std::min<std::int16_t>(r.read_int16(), Message::kHighestVersion);
    if (version < 0) throw protocol::DecodeError("negative version");
    message.decode(r, version);
  } catch (const protocol::DecodeError& e) {
    throw ClientError(std::string("cannot decode a group member's ") + what + ": " + e.what());
  }
  return message;
}

template <typename List>
void add_grouped(List& list, const std::vector<TopicPartition>& partitions) {
  auto sorted = partitions;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& tp : sorted) {
    if (list.empty() || list.back().topic != tp.topic) list.emplace_back().topic = tp.topic;
    list.back().partitions.push_back(tp.partition);
  }
}

template <typename List>
std::vector<TopicPartition> flatten(const List& list) {
  std::vector<TopicPartition> out;
  for (const auto& t : list) {
    for (auto p : t.partitions) out.push_back(TopicPartition{t.topic, p});
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::uint8_t> encode_subscription(const Subscription& subscription) {
  protocol::ConsumerProtocolSubscription message;
  message.topics = subscription.topics;
  message.user_data.reset();
  add_grouped(message.owned_partitions, subscription.owned);
  message.rack_id = subscription.rack;
  return encode_versioned(message, kSubscriptionVersion);
}

Subscription decode_subscription(const std::vector<std::uint8_t>& bytes) {
  auto message = decode_versioned<protocol::ConsumerProtocolSubscription>(bytes, "subscription");
  return Subscription{message.topics, flatten(message.owned_partitions), message.rack_id};
}

std::vector<std::uint8_t> encode_assignment(const std::vector<TopicPartition>& partitions) {
  protocol::ConsumerProtocolAssignment message;
  add_grouped(message.assigned_partitions, partitions);
  message.user_data.reset();
  return encode_versioned(message, kAssignmentVersion);
}

std::vector<TopicPartition> decode_assignment(const std::vector<std::uint8_t>& bytes) {
  if (bytes.empty()) return {};  // a member the leader gave nothing
  return flatten(decode_versioned<protocol::ConsumerProtocolAssignment>(bytes, "assignment").assigned_partitions);
}

std::map<std::string, std::vector<std::uint8_t>> compute_assignments(Cluster& cluster, const std::string& protocol,
                                                                     const std::vector<JoinedMember>& members) {
  auto* assignor = ClientPlugins::instance().assignor(protocol);
  if (assignor == nullptr) throw ClientError("no assignor plugin implements the group's protocol " + protocol);

  sdk::AssignmentInput input;
  std::set<std::string> topics;
  for (const auto& m : members) {
    auto subscription = decode_subscription(m.metadata);
    sdk::AssignorMember member;
    member.member_id = m.member_id;
    member.instance_id = m.instance_id;
    member.rack = subscription.rack;
    member.subscribed_topics = subscription.topics;
    for (const auto& tp : subscription.owned) {
      if (member.owned.empty() || member.owned.back().topic != tp.topic) member.owned.push_back({tp.topic, {}});
      member.owned.back().partitions.push_back(tp.partition);
    }
    topics.insert(subscription.topics.begin(), subscription.topics.end());
    input.members.push_back(std::move(member));
  }
  std::sort(input.members.begin(), input.members.end(),
            [](const auto& a, const auto& b) { return a.member_id < b.member_id; });
  const auto& metadata = cluster.refresh_metadata(std::vector<std::string>(topics.begin(), topics.end()));
  for (const auto& name : topics) {
    auto it = metadata.topics.find(name);
    if (it == metadata.topics.end() || it->second.partitions.empty()) continue;  // not (yet) in the cluster
    input.topics.push_back(sdk::AssignorTopic{name, static_cast<std::int32_t>(it->second.partitions.size()), {}});
  }

  auto assignment = assignor->assign(input);
  std::map<std::string, std::vector<std::uint8_t>> out;
  for (const auto& m : members) {
    std::vector<TopicPartition> partitions;
    if (auto it = assignment.find(m.member_id); it != assignment.end()) {
      for (const auto& t : it->second) {
        for (auto p : t.partitions) partitions.push_back(TopicPartition{t.topic, p});
      }
    }
    out[m.member_id] = encode_assignment(partitions);
  }
  return out;
}

}  // namespace brokkr::client
