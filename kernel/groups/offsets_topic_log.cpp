#include "groups/offsets_topic_log.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include <boost/asio/post.hpp>

#include "groups/group_partitioner.hpp"
#include "groups/offsets_loader.hpp"
#include "groups/offsets_records.hpp"
#include "logging/logging.hpp"
#include "partition/delayed_operation.hpp"

namespace brokkr::groups {
namespace {

using protocol::ErrorCode;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What Kafka's coordinator answers for an append error of its own log.
ErrorCode coordinator_error(ErrorCode append_error, bool offsets) {
  switch (append_error) {
    case ErrorCode::unknown_topic_or_partition:
    case ErrorCode::not_enough_replicas:
    case ErrorCode::not_enough_replicas_after_append:
      return ErrorCode::coordinator_not_available;
    case ErrorCode::not_leader_or_follower:
    case ErrorCode::kafka_storage_error:
      return ErrorCode::not_coordinator;
    case ErrorCode::message_too_large:
    case ErrorCode::record_list_too_large:
      return offsets ? ErrorCode::invalid_commit_offset_size : ErrorCode::unknown_server_error;
    default:
      return append_error;
  }
}

// acks=all for one group write: done once the high watermark passes the
// batch, NOT_COORDINATOR if leadership goes first, REQUEST_TIMED_OUT at the
// deadline. Posts `done` rather than calling it from the partition's thread.
class DelayedGroupWrite final : public partition::DelayedOperation {
 public:
  DelayedGroupWrite(boost::asio::io_context& io, std::chrono::milliseconds timeout,
                    std::shared_ptr<partition::Partition> partition, std::int64_t required_offset,
                    GroupLog::Done done)
      : DelayedOperation(io, timeout),
        io_(io),
        partition_(std::move(partition)),
        required_offset_(required_offset),
        done_(std::move(done)) {}

 protected:
  bool try_complete() override {
    if (partition_->high_watermark() >= required_offset_) return answer(ErrorCode::none);
    if (!partition_->is_leader()) return answer(ErrorCode::not_coordinator);
    return false;
  }
  void on_expired() override { answer(ErrorCode::request_timed_out); }

 private:
  bool answer(ErrorCode error) {
    if (!done_) return true;  // answered already
    boost::asio::post(io_, [done = std::move(done_), error] { done(error); });
    return true;
  }

  boost::asio::io_context& io_;
  std::shared_ptr<partition::Partition> partition_;
  std::int64_t required_offset_;
  GroupLog::Done done_;
};

}  // namespace

OffsetsTopicLog::OffsetsTopicLog(partition::PartitionManager& partitions, const partition::CodecSet* codecs,
                                 const config::BrokerConfig& config, boost::asio::io_context& io,
                                 std::chrono::milliseconds write_timeout)
    : partitions_(partitions),
      codecs_(codecs),
      config_(config.groups),
      max_decompressed_bytes_(static_cast<std::size_t>(config.network.max_decompressed_batch_bytes)),
      io_(io),
      write_timeout_(write_timeout),
      partition_count_(config.groups.offsets_partitions) {}

void OffsetsTopicLog::ensure_topic(cluster::TopicAdmin& admin, const cluster::MetadataCache& cache,
                                   std::size_t live_brokers) {
  auto log = logging::get("groups");
  auto find = [&]() -> std::shared_ptr<const cluster::MetadataSnapshot> {
    auto s = cache.snapshot();
    return s->topics.count(kOffsetsTopic) ? s : nullptr;
  };
  auto snapshot = find();
  if (!snapshot) {
    cluster::TopicSpec spec;
    spec.name = kOffsetsTopic;
    spec.num_partitions = config_.offsets_partitions;
    spec.replication_factor = static_cast<std::int16_t>(
        std::min<std::size_t>(config_.offsets_replication_factor, std::max<std::size_t>(live_brokers, 1)));
    // Kafka's settings for this topic: compacted, batches kept as written
    // (ours are uncompressed, which compaction needs).
    spec.configs = {{"cleanup.policy", "compact"},
                    {"compression.type", "producer"},
                    {"segment.bytes", std::to_string(config_.offsets_segment_bytes)}};
    cluster::AdminResult result = admin.create_topic(spec, false);
    if (!result.ok() && result.error != ErrorCode::topic_already_exists) {
      throw std::runtime_error(std::string("cannot create ") + kOffsetsTopic + ": " + result.message);
    }
    if (result.ok()) {
      log->info("created {} ({} partitions, replication factor {})", kOffsetsTopic, spec.num_partitions,
                spec.replication_factor);
    }
    // Created by another broker a moment ago: its record may still be on its way.
    for (int i = 0; i < 500 && !(snapshot = find()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!snapshot) throw std::runtime_error(std::string(kOffsetsTopic) + " exists but its metadata did not arrive");
  }
  auto count = static_cast<std::int32_t>(snapshot->topics.at(kOffsetsTopic)->partitions.size());
  if (count != config_.offsets_partitions) {
    log->warn("{} has {} partitions; groups.offsets_partitions = {} only applies when it is created",
              kOffsetsTopic, count, config_.offsets_partitions);
  }
  partition_count_ = count;
}

std::vector<std::int32_t> OffsetsTopicLog::led_partitions() const {
  std::vector<std::int32_t> out;
  for (std::int32_t p = 0; p < partition_count(); ++p) {
    auto partition = partitions_.get(kOffsetsTopic, p);
    if (partition && partition->is_leader()) out.push_back(p);
  }
  return out;
}

std::int32_t OffsetsTopicLog::partition_for(const std::string& group) const {
  return offsets_partition_for(group, partition_count());
}

void OffsetsTopicLog::store_offsets(const std::string& group, const std::vector<CommittedOffset>& offsets,
                                    Done done) {
  std::vector<KeyValue> records;
  try {
    for (const auto& o : offsets) {
      records.push_back({encode_offset_key(group, o.topic, o.partition),
                         encode_offset_value(o, offset_value_version(o))});
    }
  } catch (const std::invalid_argument&) {
    return complete(std::move(done), ErrorCode::invalid_commit_offset_size);  // a string over 32767 bytes
  }
  write(group, Kind::offsets, std::move(records), std::move(done));
}

void OffsetsTopicLog::remove_offsets(const std::string& group,
                                     const std::vector<std::pair<std::string, std::int32_t>>& partitions,
                                     Done done) {
  std::vector<KeyValue> records;
  try {
    for (const auto& [topic, partition] : partitions) {
      records.push_back({encode_offset_key(group, topic, partition), std::nullopt});
    }
  } catch (const std::invalid_argument&) {
    return complete(std::move(done), ErrorCode::invalid_commit_offset_size);
  }
  write(group, Kind::offsets, std::move(records), std::move(done));
}

void OffsetsTopicLog::store_group(const StoredGroup& group, Done done) {
  std::vector<KeyValue> records;
  try {
    records.push_back({encode_group_key(group.group_id), encode_group_value(group, kGroupValueVersion)});
  } catch (const std::invalid_argument&) {
    return complete(std::move(done), ErrorCode::unknown_server_error);
  }
  write(group.group_id, Kind::group, std::move(records), std::move(done));
}

void OffsetsTopicLog::remove_group(const std::string& group, Done done) {
  std::vector<KeyValue> records;
  try {
    records.push_back({encode_group_key(group), std::nullopt});
  } catch (const std::invalid_argument&) {
    return complete(std::move(done), ErrorCode::unknown_server_error);
  }
  write(group, Kind::group, std::move(records), std::move(done));
}

void OffsetsTopicLog::store_records(const std::string& group, std::vector<GroupRecord> records, Done done) {
  std::vector<KeyValue> batch;
  batch.reserve(records.size());
  for (auto& r : records) batch.push_back({std::move(r.key), std::move(r.value)});
  write(group, Kind::group, std::move(batch), std::move(done));
}

void OffsetsTopicLog::write(const std::string& group, Kind kind, std::vector<KeyValue> records, Done done) {
  if (records.empty()) return complete(std::move(done), ErrorCode::none);
  std::int32_t index = partition_for(group);
  auto partition = partitions_.get(kOffsetsTopic, index);
  if (!partition || !partition->is_leader()) return complete(std::move(done), ErrorCode::not_coordinator);
  {
    std::lock_guard lock(mutex_);
    auto it = loaded_epochs_.find(index);
    if (it == loaded_epochs_.end() || it->second != partition->leader_epoch()) {
      return complete(std::move(done), ErrorCode::coordinator_load_in_progress);
    }
  }
  // acks=all refuses up front what min.insync.replicas cannot have (the
  // in-sync set is this replica alone until replication lands).
  if (partition->settings().min_insync_replicas > 1) {
    return complete(std::move(done), ErrorCode::coordinator_not_available);
  }
  std::int64_t now = now_ms();
  std::vector<std::uint8_t> batch = build_offsets_batch(records, now);
  partition::AppendResult result = partition->append(batch, now);
  if (result.error != ErrorCode::none) {
    logging::get("groups")->warn("{}-{}: writing group {} failed: {} {}", kOffsetsTopic, index, group,
                                 protocol::code(result.error), result.error_message);
    return complete(std::move(done), coordinator_error(result.error, kind == Kind::offsets));
  }
  auto wait = std::make_shared<DelayedGroupWrite>(io_, write_timeout_, partition, result.last_offset + 1,
                                                  std::move(done));
  wait->start({partition});
}

void OffsetsTopicLog::complete(Done done, ErrorCode error) {
  boost::asio::post(io_, [done = std::move(done), error] { done(error); });
}

void OffsetsTopicLog::load_partition(std::int32_t index, const GroupLogVisitor& visitor) {
  auto log = logging::get("groups");
  auto partition = partitions_.get(kOffsetsTopic, index);
  if (!partition || !partition->is_leader()) {
    log->debug("not loading {}-{}: this broker does not lead it", kOffsetsTopic, index);
    return;
  }
  std::int32_t epoch = partition->leader_epoch();
  {
    std::lock_guard lock(mutex_);
    loaded_epochs_.erase(index);  // writes wait until the replay is done
  }
  auto started = std::chrono::steady_clock::now();
  std::string label = std::string(kOffsetsTopic) + "-" + std::to_string(index);
  ReplaySource source{partition->log(), partition->high_watermark(), codecs_, max_decompressed_bytes_, label};
  ReplayStats stats;
  try {
    stats = replay_offsets_log(source, visitor);
  } catch (const std::exception& e) {
    // The log itself failed (an I/O error): what was read stands, and the
    // partition takes writes rather than refusing its groups for good.
    log->error("{}: loading stopped: {}", label, e.what());
  }
  {
    std::lock_guard lock(mutex_);
    loaded_epochs_[index] = epoch;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  bool empty = stats.offsets + stats.groups + stats.tombstones + stats.skipped == 0;
  log->log(empty ? spdlog::level::debug : spdlog::level::info,
           "loaded {}: {} offset(s), {} group record(s), {} tombstone(s), {} skipped, in {} ms", label,
           stats.offsets, stats.groups, stats.tombstones, stats.skipped, ms.count());
}

}  // namespace brokkr::groups
