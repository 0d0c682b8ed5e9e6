// Every broker's read-only view of cluster metadata, kept current from the
// coordination plugin's change notifications. Readers take an immutable
// snapshot (no lock held while they use it); updates swap in a new one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "brokkr/sdk/coordination.hpp"
#include "cluster/topic_metadata.hpp"

namespace brokkr::cluster {

class MetadataCache {
 public:
  MetadataCache();
  ~MetadataCache() { detach(); }
  MetadataCache(const MetadataCache&) = delete;
  MetadataCache& operator=(const MetadataCache&) = delete;

  std::shared_ptr<const MetadataSnapshot> snapshot() const;

  // Called after every change with the newest snapshot (never an older one
  // after a newer one), one call at a time.
  using Subscriber = std::function<void(const MetadataSnapshot&)>;
  void subscribe(Subscriber subscriber);

  // Loads the current state and subscribes to changes. The coordinator must
  // outlive the cache, or detach() must be called first.
  void attach(sdk::ClusterCoordinator& coordinator);
  void detach();

  // Applied by attach()'s subscriptions; public for tests.
  void apply_cluster_view(const sdk::ClusterView& view);
  void apply_store_changes(const std::vector<sdk::StoreChange>& changes);
  void set_cluster_id(std::string cluster_id);

 private:
  template <typename Mutation>
  void update(Mutation&& mutate);

  void publish();

  mutable std::mutex mutex_;
  std::mutex publish_mutex_;
  std::vector<Subscriber> subscribers_;
  std::shared_ptr<const MetadataSnapshot> current_;
  sdk::ClusterCoordinator* coordinator_ = nullptr;
  std::vector<std::uint64_t> watches_;
};

}  // namespace brokkr::cluster
