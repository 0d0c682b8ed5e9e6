// --describe (TopicCommand.describeTopic): a topic line and its partition
// lines, or with a report option (--under-replicated-partitions, ...) only
// the partitions that match it.
#include <algorithm>
#include <iostream>
#include <set>
#include <stdexcept>

#include "topics/describe_format.hpp"
#include "topics/topic_actions.hpp"
#include "topics/topic_selection.hpp"

namespace brokkr::cli::topics {
namespace {

using client::admin::ConfigEntry;
using client::admin::PartitionInfo;

struct Reports {
  bool under_replicated = false;
  bool unavailable = false;
  bool under_min_isr = false;
  bool at_min_isr = false;
  bool with_overrides = false;
  bool any_partition_report() const { return under_replicated || unavailable || under_min_isr || at_min_isr; }
};

int min_isr_of(const std::vector<ConfigEntry>& configs) {
  for (const auto& entry : configs) {
    if (entry.name == "min.insync.replicas" && entry.value) {
      try {
        return std::stoi(*entry.value);
      } catch (const std::exception&) {
        return 1;
      }
    }
  }
  return 1;
}

bool should_print(const Reports& reports, const PartitionInfo& p, int min_isr, const std::set<std::int32_t>& live) {
  if (!reports.any_partition_report()) return true;
  const bool has_leader = p.leader >= 0;
  const auto isr = static_cast<int>(p.isr.size());
  if (reports.under_replicated && static_cast<int>(p.replicas.size()) - isr > 0) return true;
  if (reports.unavailable && (!has_leader || live.count(p.leader) == 0)) return true;
  if (reports.under_min_isr && (!has_leader || isr < min_isr)) return true;
  if (reports.at_min_isr && isr == min_isr) return true;
  return false;
}

// --topic-id: the one topic with that id (Kafka's getTopicIds + ensureTopicIdExists).
std::vector<std::string> topics_by_id(client::admin::AdminClient& admin, const std::string& text,
                                      bool exclude_internal, bool require_exists) {
  if (text.size() > 24) {
    throw std::runtime_error("Input string with prefix `" + text.substr(0, 24) +
                             "` is too long to be decoded as a base64 UUID");
  }
  auto id = protocol::Uuid::from_base64(text);
  if (!id) throw std::runtime_error("Input string `" + text + "` is not a base64-encoded UUID of 16 bytes");
  std::vector<std::string> found;
  for (const auto& listing : admin.list_topics(!exclude_internal)) {
    if (listing.id == *id) found.push_back(listing.name);
  }
  if (found.empty() && require_exists) throw std::runtime_error("TopicId '" + text + "' does not exist as expected");
  return found;
}

}  // namespace

int describe_topics(const CommandLine& cl, client::admin::AdminClient& admin) {
  const bool exclude_internal = cl.has("exclude-internal");
  std::vector<std::string> names;
  auto topic_id = cl.value("topic-id");
  if (topic_id) {
    auto parsed = protocol::Uuid::from_base64(*topic_id);
    if (parsed && parsed->is_zero()) topic_id.reset();  // the zero id means "no id": use --topic
  }
  if (topic_id) {
    names = topics_by_id(admin, *topic_id, exclude_internal, !cl.has("if-exists"));
  } else {
    names = select_topics(admin, cl.value("topic"), exclude_internal);
    ensure_topic_exists(names, cl.value("topic"), !cl.has("if-exists"));
  }

  Reports reports{cl.has("under-replicated-partitions"), cl.has("unavailable-partitions"),
                  cl.has("under-min-isr-partitions"), cl.has("at-min-isr-partitions"),
                  cl.has("topics-with-overrides")};
  auto descriptions = admin.describe_topics(names);
  auto configs = admin.describe_topic_configs(names);
  std::set<std::int32_t> live;
  for (const auto& broker : admin.describe_cluster().brokers) live.insert(broker.id);

  for (const auto& topic : descriptions) {
    const auto& topic_configs = configs[topic.name];
    if (!reports.any_partition_report() && !topic.partitions.empty()) {
      bool has_override = std::any_of(topic_configs.begin(), topic_configs.end(),
                                      [](const ConfigEntry& e) { return !e.is_default(); });
      if (!reports.with_overrides || has_override) {
        int replication_factor = static_cast<int>(topic.partitions.front().replicas.size());
        std::cout << topic_line(topic, replication_factor, topic_configs) << "\n";
      }
    }
    if (reports.with_overrides) continue;
    const int min_isr = min_isr_of(topic_configs);
    for (const auto& partition : topic.partitions) {
      if (should_print(reports, partition, min_isr, live)) std::cout << partition_line(topic.name, partition) << "\n";
    }
  }
  return 0;
}

}  // namespace brokkr::cli::topics
