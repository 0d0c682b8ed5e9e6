// GroupLog over the internal topic __consumer_offsets: each write is one
// uncompressed batch in Kafka's record format, appended through the
// partition's normal path (validation, offsets, storage) and acknowledged
// once the high watermark passes it (acks=all); loading replays a partition.
//
// A partition accepts writes only while this broker leads it and after it
// was loaded in the current leader epoch:
//   not local / not leader            -> NOT_COORDINATOR
//   not loaded (or led anew since)    -> COORDINATOR_LOAD_IN_PROGRESS
//   append errors                     -> Kafka's mapping for the coordinator
//     (UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS -> COORDINATOR_NOT_AVAILABLE;
//      NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> NOT_COORDINATOR;
//      too large -> INVALID_COMMIT_OFFSET_SIZE for offsets, UNKNOWN_SERVER_ERROR for groups)
//   not replicated in time            -> REQUEST_TIMED_OUT (Kafka's SyncGroup
//                                        answers REBALANCE_IN_PROGRESS for it)
// `done` never runs inside the call that writes: it is posted to the
// io_context, so a caller may hold its own lock while writing.
#pragma once

#include <atomic>
#include <chrono>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "cluster/metadata_cache.hpp"
#include "cluster/topic_admin.hpp"
#include "config/broker_config.hpp"
#include "groups/group_log.hpp"
#include "groups/offsets_batch.hpp"
#include "partition/codec_set.hpp"
#include "partition/partition_manager.hpp"

namespace brokkr::groups {

class OffsetsTopicLog final : public GroupLog {
 public:
  // How long a write waits for the in-sync replicas (Kafka's
  // offsets.commit.timeout.ms).
  static constexpr std::chrono::milliseconds kWriteTimeout{5000};

  // Reads [groups] and network.max_decompressed_batch_bytes from `config`.
  // `partitions`, `codecs`, `config` and `io` must outlive this.
  OffsetsTopicLog(partition::PartitionManager& partitions, const partition::CodecSet* codecs,
                  const config::BrokerConfig& config, boost::asio::io_context& io,
                  std::chrono::milliseconds write_timeout = kWriteTimeout);

  // At broker start: creates __consumer_offsets when it is missing
  // (groups.offsets_partitions partitions, replication factor
  // min(groups.offsets_replication_factor, live_brokers), compacted) and
  // takes the partition count of the topic as it is. Throws
  // std::runtime_error when the topic can be neither found nor created.
  void ensure_topic(cluster::TopicAdmin& admin, const cluster::MetadataCache& cache, std::size_t live_brokers);

  // The partitions this broker leads now: the ones its coordinator loads.
  std::vector<std::int32_t> led_partitions() const;

  std::int32_t partition_for(const std::string& group) const override;
  std::int32_t partition_count() const override { return partition_count_.load(); }
  void store_offsets(const std::string& group, const std::vector<CommittedOffset>& offsets, Done done) override;
  void remove_offsets(const std::string& group, const std::vector<std::pair<std::string, std::int32_t>>& partitions,
                      Done done) override;
  void store_group(const StoredGroup& group, Done done) override;
  void remove_group(const std::string& group, Done done) override;
  void store_records(const std::string& group, std::vector<GroupRecord> records, Done done) override;
  void load_partition(std::int32_t partition, const GroupLogVisitor& visitor) override;

 private:
  enum class Kind { offsets, group };
  void write(const std::string& group, Kind kind, std::vector<KeyValue> records, Done done);
  void complete(Done done, protocol::ErrorCode error);

  partition::PartitionManager& partitions_;
  const partition::CodecSet* codecs_;
  const config::GroupsConfig& config_;
  std::size_t max_decompressed_bytes_;
  boost::asio::io_context& io_;
  std::chrono::milliseconds write_timeout_;
  std::atomic<std::int32_t> partition_count_;
  mutable std::mutex mutex_;
  std::map<std::int32_t, std::int32_t> loaded_epochs_;  // partition -> leader epoch it was loaded in
};

}  // namespace brokkr::groups
