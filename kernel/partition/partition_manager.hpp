// The partitions this broker holds a replica of. Follows the metadata cache:
// opens (creating when new) the log of every partition assigned to this
// node, and removes the logs of deleted topics.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "brokkr/sdk/storage.hpp"
#include "cluster/metadata_cache.hpp"
#include "config/broker_config.hpp"
#include "partition/partition.hpp"

namespace brokkr::partition {

class PartitionManager {
 public:
  PartitionManager(sdk::StorageEngine& storage, const config::BrokerConfig& config);

  // Where broker-wide topic config defaults come from (default: the
  // [topics.config] table of the broker's file).
  using DefaultsProvider = std::function<std::map<std::string, std::string>()>;
  void set_topic_defaults(DefaultsProvider provider);

  // The codecs batch validation may use (must outlive the manager), also
  // handed to the storage engine; call before start().
  void set_codecs(const CodecSet* codecs);

  // Recovers existing logs; call once before apply().
  void start();
  // Brings local partitions in line with `snapshot`: open new ones, update
  // leader state and settings, remove partitions of deleted topics.
  void apply(const cluster::MetadataSnapshot& snapshot);
  // Flushes and closes every log (clean shutdown).
  void stop();

  // nullptr when this broker holds no replica of it.
  std::shared_ptr<Partition> get(const std::string& topic, std::int32_t partition) const;
  std::vector<std::shared_ptr<Partition>> all() const;
  sdk::StorageEngine& storage() { return storage_; }

 private:
  sdk::StorageEngine& storage_;
  const config::BrokerConfig& config_;
  mutable std::mutex mutex_;
  std::map<sdk::PartitionId, std::shared_ptr<Partition>> partitions_;
  std::map<std::string, protocol::Uuid> topic_ids_;  // to notice delete + re-create
  std::set<sdk::PartitionId> on_disk_;
  DefaultsProvider topic_defaults_;
  const CodecSet* codecs_ = nullptr;  // recovered, not yet matched with metadata
};

}  // namespace brokkr::partition
