// Cluster metadata for KIP-848 group tests: one broker (rack-a) and topics
// that can be created or grown between heartbeats (a grown topic keeps its id).
#pragma once

#include <memory>
#include <string>

#include "cluster/topic_metadata.hpp"

namespace brokkr::test {

struct FakeClusterMetadata {
  std::shared_ptr<cluster::MetadataSnapshot> snapshot = std::make_shared<cluster::MetadataSnapshot>();
  FakeClusterMetadata() { snapshot->brokers.push_back(sdk::BrokerRegistration{1, std::string("rack-a"), {}}); }

  void topic(const std::string& name, int partitions, bool internal = false) {
    auto t = std::make_shared<cluster::TopicMetadata>();
    t->name = name;
    t->internal = internal;
    auto old = snapshot->topics.find(name);
    t->topic_id = old != snapshot->topics.end() ? old->second->topic_id : protocol::Uuid::random();
    for (int p = 0; p < partitions; ++p) {
      cluster::PartitionState s;
      s.partition = p;
      s.leader = 1;
      s.replicas = {1};
      s.isr = {1};
      t->partitions.push_back(s);
    }
    auto next = std::make_shared<cluster::MetadataSnapshot>(*snapshot);
    next->topics[name] = t;
    snapshot = next;
  }
  protocol::Uuid id(const std::string& name) const { return snapshot->topics.at(name)->topic_id; }
  std::string name(const protocol::Uuid& id) const {
    for (const auto& [n, t] : snapshot->topics) {
      if (t->topic_id == id) return n;
    }
    return "?";
  }
};

}  // namespace brokkr::test
