// The `segment` storage engine: Kafka's on-disk model (a directory per
// partition holding segment files with offset and time indexes), crash
// recovery, retention, compaction, and a background maintenance thread.
//
// Log directory layout: "<dir>/<topic>-<partition>/" per partition, plus
//   .lock            flock held while an engine uses the directory
//   .clean-shutdown  written by close() after every partition is flushed;
//                    removed when the engine starts, so a crash leaves none
//                    and the next start recovers the tails of the logs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "brokkr/sdk/storage.hpp"
#include "plugin_common/file_util.hpp"
#include "options.hpp"
#include "partition_log.hpp"

namespace brokkr::segment {

class SegmentStorage final : public sdk::StorageEngine {
 public:
  explicit SegmentStorage(const sdk::PluginContext& context);
  // Stops the background thread. Without close() first the logs are not
  // marked clean (as after a crash).
  ~SegmentStorage() override;

  std::string log_dir() const override { return options_.dir.string(); }
  void set_codecs(sdk::CodecAccess codecs) override;
  std::vector<sdk::PartitionId> recover() override;
  std::shared_ptr<sdk::PartitionLog> open(const sdk::PartitionId& id,
                                          const sdk::LogSettings& settings) override;
  void update_settings(const sdk::PartitionId& id, const sdk::LogSettings& settings) override;
  void remove(const sdk::PartitionId& id) override;
  void run_maintenance(std::int64_t now_ms) override;
  void close() override;

  // Observability for tests: batches that recovery (or an index rebuild)
  // read back since this engine started, and what the last shutdown was.
  std::int64_t recovery_batches_scanned() const { return batches_scanned_.load(); }
  bool last_shutdown_was_clean();

 private:
  void start_locked();  // mutex_ held
  std::shared_ptr<SegmentPartition> load_locked(const sdk::PartitionId& id,
                                                const sdk::LogSettings& settings);
  void stop_thread();
  void maintenance_loop();

  SegmentOptions options_;
  std::shared_ptr<sdk::Logger> logger_;
  std::shared_ptr<const sdk::CodecAccess> codecs_ = std::make_shared<sdk::CodecAccess>();
  std::optional<plugin_common::DirectoryLock> lock_;  // taken at start: constructing touches no files

  std::mutex mutex_;
  std::map<sdk::PartitionId, std::shared_ptr<SegmentPartition>> partitions_;
  bool started_ = false;
  bool clean_ = false;
  bool closed_ = false;
  std::atomic<std::int64_t> batches_scanned_{0};

  std::mutex maintenance_mutex_;  // one round at a time

  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace brokkr::segment
