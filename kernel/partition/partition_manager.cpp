#include "partition/partition_manager.hpp"

#include <algorithm>
#include <set>

#include "logging/logging.hpp"
#include "partition/partition_settings.hpp"

namespace brokkr::partition {

PartitionManager::PartitionManager(sdk::StorageEngine& storage, const config::BrokerConfig& config)
    : storage_(storage), config_(config) {}

void PartitionManager::set_topic_defaults(DefaultsProvider provider) {
  std::lock_guard lock(mutex_);
  topic_defaults_ = std::move(provider);
}

void PartitionManager::set_codecs(const CodecSet* codecs) {
  std::lock_guard lock(mutex_);
  codecs_ = codecs;
  // The storage reads inside compressed batches too (compaction, timestamp
  // lookups). A copy of the set: the codecs live as long as the plugins.
  sdk::CodecAccess access;
  if (codecs) access.find = [set = *codecs](sdk::CompressionType type) { return set.find(type); };
  access.max_decompressed_bytes = static_cast<std::size_t>(config_.network.max_decompressed_batch_bytes);
  storage_.set_codecs(std::move(access));
}

void PartitionManager::start() {
  std::lock_guard lock(mutex_);
  for (const auto& id : storage_.recover()) on_disk_.insert(id);
  logging::get("broker")->info("storage: {} partition log(s) found in {}", on_disk_.size(),
                               storage_.log_dir());
}

void PartitionManager::apply(const cluster::MetadataSnapshot& snapshot) {
  auto log = logging::get("broker");
  std::lock_guard lock(mutex_);
  const auto defaults = topic_defaults_ ? topic_defaults_() : config_.topics.config;
  std::set<sdk::PartitionId> wanted;
  for (const auto& [name, topic] : snapshot.topics) {
    // A topic deleted and created again under the same name is a new topic.
    if (auto it = topic_ids_.find(name); it != topic_ids_.end() && !(it->second == topic->topic_id)) {
      for (auto p = partitions_.begin(); p != partitions_.end();) {
        if (p->first.topic == name) {
          storage_.remove(p->first);
          p = partitions_.erase(p);
        } else {
          ++p;
        }
      }
    }
    topic_ids_[name] = topic->topic_id;
    PartitionSettings settings = partition_settings_for(topic->configs, defaults);
    settings.validation.codecs = codecs_;
    settings.validation.max_decompressed_bytes =
        static_cast<std::size_t>(config_.network.max_decompressed_batch_bytes);
    for (const auto& state : topic->partitions) {
      if (std::find(state.replicas.begin(), state.replicas.end(), config_.node_id) == state.replicas.end()) {
        continue;
      }
      sdk::PartitionId id{name, state.partition};
      wanted.insert(id);
      auto& partition = partitions_[id];
      if (!partition) {
        partition = std::make_shared<Partition>(id, storage_.open(id, settings.log), settings);
        on_disk_.erase(id);
        log->debug("opened partition {}-{}", id.topic, id.partition);
      } else {
        partition->update_settings(settings);
        storage_.update_settings(id, settings.log);
      }
      partition->set_leadership(state.leader == config_.node_id, state.leader_epoch, state.isr);
    }
  }
  // Logs of topics that no longer exist (deleted while we ran, or while we
  // were down) are removed from disk.
  for (auto it = partitions_.begin(); it != partitions_.end();) {
    if (!wanted.count(it->first)) {
      log->info("removing partition {}-{}: its topic was deleted", it->first.topic, it->first.partition);
      storage_.remove(it->first);
      it = partitions_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& id : on_disk_) {
    if (!snapshot.topics.count(id.topic)) {
      log->info("removing stray partition {}-{}: no such topic", id.topic, id.partition);
      storage_.remove(id);
    }
  }
  on_disk_.clear();
  for (auto it = topic_ids_.begin(); it != topic_ids_.end();) {
    it = snapshot.topics.count(it->first) ? std::next(it) : topic_ids_.erase(it);
  }
}

void PartitionManager::stop() {
  std::lock_guard lock(mutex_);
  partitions_.clear();
  storage_.close();
}

std::shared_ptr<Partition> PartitionManager::get(const std::string& topic, std::int32_t partition) const {
  std::lock_guard lock(mutex_);
  auto it = partitions_.find(sdk::PartitionId{topic, partition});
  return it == partitions_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Partition>> PartitionManager::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Partition>> out;
  for (const auto& [id, partition] : partitions_) out.push_back(partition);
  return out;
}

}  // namespace brokkr::partition
