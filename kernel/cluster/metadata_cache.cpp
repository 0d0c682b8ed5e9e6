#include "cluster/metadata_cache.hpp"

#include "cluster/metadata_records.hpp"
#include "logging/logging.hpp"

namespace brokkr::cluster {

const sdk::BrokerRegistration* MetadataSnapshot::broker(std::int32_t node_id) const {
  for (const auto& b : brokers) {
    if (b.node_id == node_id) return &b;
  }
  return nullptr;
}

MetadataCache::MetadataCache() : current_(std::make_shared<MetadataSnapshot>()) {}

std::shared_ptr<const MetadataSnapshot> MetadataCache::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

template <typename Mutation>
void MetadataCache::update(Mutation&& mutate) {
  {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<MetadataSnapshot>(*current_);
    mutate(*next);
    current_ = std::move(next);
  }
  publish();
}

void MetadataCache::subscribe(Subscriber subscriber) {
  std::lock_guard lock(publish_mutex_);
  subscribers_.push_back(std::move(subscriber));
}

void MetadataCache::publish() {
  // Subscribers always see the current snapshot, so a publish that lost a
  // race with a newer update still hands over the newest state.
  std::lock_guard lock(publish_mutex_);
  if (subscribers_.empty()) return;
  auto current = snapshot();
  for (auto& subscriber : subscribers_) subscriber(*current);
}

void MetadataCache::set_cluster_id(std::string cluster_id) {
  update([&](MetadataSnapshot& s) { s.cluster_id = std::move(cluster_id); });
}

void MetadataCache::apply_cluster_view(const sdk::ClusterView& view) {
  update([&](MetadataSnapshot& s) {
    s.brokers = view.live_brokers;
    s.controller_id = view.controller_id;
  });
}

void MetadataCache::apply_store_changes(const std::vector<sdk::StoreChange>& changes) {
  update([&](MetadataSnapshot& s) {
    for (const auto& change : changes) {
      auto name = topic_from_key(change.key);
      if (!name) continue;
      if (!change.value) {
        s.topics.erase(*name);
        continue;
      }
      try {
        s.topics[*name] = std::make_shared<const TopicMetadata>(decode_topic(change.value->data));
      } catch (const std::exception& e) {
        // A record this broker cannot read is skipped, not fatal: it may come
        // from a newer broker during a rolling upgrade.
        logging::get("cluster")->error("ignoring unreadable metadata record {}: {}", change.key,
                                       e.what());
      }
    }
  });
}

void MetadataCache::attach(sdk::ClusterCoordinator& coordinator) {
  coordinator_ = &coordinator;
  set_cluster_id(coordinator.cluster_id());
  // Subscribe first, then load: a change racing the load is applied twice
  // at worst, never lost.
  watches_.push_back(coordinator.watch(std::string(kTopicsPrefix),
                                       [this](const auto& changes) { apply_store_changes(changes); }));
  watches_.push_back(
      coordinator.watch_cluster([this](const sdk::ClusterView& view) { apply_cluster_view(view); }));
  std::vector<sdk::StoreChange> initial;
  for (auto& kv : coordinator.list(kTopicsPrefix)) {
    initial.push_back(sdk::StoreChange{std::move(kv.key), std::move(kv.value)});
  }
  apply_store_changes(initial);
  apply_cluster_view(coordinator.cluster_view());
}

void MetadataCache::detach() {
  if (!coordinator_) return;
  for (auto handle : watches_) coordinator_->unwatch(handle);
  watches_.clear();
  coordinator_ = nullptr;
}

}  // namespace brokkr::cluster
