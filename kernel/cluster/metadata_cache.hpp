// Every broker's read-only view of cluster metadata, kept current from the
// coordination plugin's change notifications. Readers take an immutable
// snapshot (no lock held while they use it); updates swap in a new one.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "brokkr/sdk/coordination.hpp"
#include "cluster/topic_metadata.hpp"

namespace brokkr::cluster {

class MetadataCache {
 public:
  MetadataCache();

  std::shared_ptr<const MetadataSnapshot> snapshot() const;

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

  mutable std::mutex mutex_;
  std::shared_ptr<const MetadataSnapshot> current_;
  sdk::ClusterCoordinator* coordinator_ = nullptr;
  std::vector<std::uint64_t> watches_;
};

}  // namespace brokkr::cluster
