#include "segment_storage.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "clock.hpp"
#include "partition_loader.hpp"
#include "segment_files.hpp"

namespace brokkr::segment {

SegmentStorage::SegmentStorage(const sdk::PluginContext& context)
    : options_(parse_options(context)),
      logger_(context.logger) {}

SegmentStorage::~SegmentStorage() { stop_thread(); }

void SegmentStorage::stop_thread() {
  {
    std::lock_guard lock(thread_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SegmentStorage::maintenance_loop() {
  std::unique_lock lock(thread_mutex_);
  auto interval = std::chrono::milliseconds(options_.maintenance_interval_ms);
  while (!stop_) {
    if (wake_.wait_for(lock, interval, [this] { return stop_; })) break;
    lock.unlock();
    run_maintenance(wall_clock_ms());
    lock.lock();
  }
}

void SegmentStorage::start_locked() {
  if (started_) return;
  started_ = true;
  std::filesystem::create_directories(options_.dir);
  lock_.emplace(options_.dir / kLockFile, "another storage engine");
  if (options_.maintenance_interval_ms > 0) thread_ = std::thread([this] { maintenance_loop(); });
  auto marker = options_.dir / kCleanShutdownFile;
  clean_ = std::filesystem::exists(marker);
  if (clean_) {
    // From now on the logs are being written: a crash must not look clean.
    plugin_common::remove_file(marker);
    plugin_common::sync_dir(options_.dir);
  }
  // Partitions whose deletion was cut short.
  std::vector<std::filesystem::path> doomed;
  for (const auto& entry : std::filesystem::directory_iterator(options_.dir)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.size() > 7 && name.ends_with(kDeletedDirSuffix)) {
      doomed.push_back(entry.path());
    }
  }
  for (const auto& path : doomed) std::filesystem::remove_all(path);
}

bool SegmentStorage::last_shutdown_was_clean() {
  std::lock_guard lock(mutex_);
  start_locked();
  return clean_;
}

std::shared_ptr<SegmentPartition> SegmentStorage::load_locked(const sdk::PartitionId& id,
                                                              const sdk::LogSettings& settings) {
  LoadContext context;
  context.dir = options_.dir / partition_dir_name(id);
  context.name = partition_dir_name(id);
  context.index_interval_bytes = settings.index_interval_bytes;
  context.index_max_bytes = options_.index_max_bytes;
  context.clean_shutdown = clean_;
  context.logger = logger_.get();
  context.now_ms = wall_clock_ms();
  LoadedPartition loaded = load_partition(context);
  batches_scanned_ += loaded.batches_scanned;
  auto partition = std::make_shared<SegmentPartition>(id, context.dir, std::move(loaded), settings,
                                                      options_.index_max_bytes, logger_, codecs_);
  partitions_[id] = partition;
  return partition;
}

void SegmentStorage::set_codecs(sdk::CodecAccess codecs) {
  std::lock_guard lock(mutex_);
  codecs_ = std::make_shared<const sdk::CodecAccess>(std::move(codecs));
}

std::vector<sdk::PartitionId> SegmentStorage::recover() {
  std::lock_guard lock(mutex_);
  if (closed_) throw std::logic_error("segment storage is closed");
  start_locked();
  std::vector<sdk::PartitionId> found;
  for (const auto& entry : std::filesystem::directory_iterator(options_.dir)) {
    if (!entry.is_directory()) continue;
    if (auto id = parse_partition_dir_name(entry.path().filename().string())) found.push_back(*id);
  }
  std::sort(found.begin(), found.end());
  std::int64_t before = batches_scanned_.load();
  for (const auto& id : found) {
    // Topic settings are not known yet: indexes rebuilt here use the default
    // interval; open() applies the topic's settings afterwards.
    if (!partitions_.count(id)) load_locked(id, sdk::LogSettings{});
  }
  std::string how = found.empty() ? ""
                    : clean_   ? " after a clean shutdown"
                               : " after an unclean shutdown; recovery checked " +
                                     std::to_string(batches_scanned_.load() - before) + " batch(es)";
  logger_->info("segment: " + std::to_string(found.size()) + " partition(s) in " +
                options_.dir.string() + how);
  return found;
}

std::shared_ptr<sdk::PartitionLog> SegmentStorage::open(const sdk::PartitionId& id,
                                                        const sdk::LogSettings& settings) {
  std::lock_guard lock(mutex_);
  if (closed_) throw std::logic_error("segment storage is closed");
  start_locked();
  if (auto it = partitions_.find(id); it != partitions_.end()) {
    it->second->update_settings(settings);
    return it->second;
  }
  return load_locked(id, settings);
}

void SegmentStorage::update_settings(const sdk::PartitionId& id, const sdk::LogSettings& settings) {
  std::lock_guard lock(mutex_);
  if (auto it = partitions_.find(id); it != partitions_.end()) it->second->update_settings(settings);
}

void SegmentStorage::remove(const sdk::PartitionId& id) {
  std::shared_ptr<SegmentPartition> partition;
  {
    std::lock_guard lock(mutex_);
    start_locked();
    if (auto it = partitions_.find(id); it != partitions_.end()) {
      partition = it->second;
      partitions_.erase(it);
    }
  }
  if (partition) {
    partition->remove_from_disk();
  } else {
    // Never opened in this run: its directory may still be there.
    auto dir = options_.dir / partition_dir_name(id);
    if (!std::filesystem::exists(dir)) return;
    delete_partition_dir(dir);
  }
  logger_->info("segment: deleted partition " + partition_dir_name(id));
}

void SegmentStorage::run_maintenance(std::int64_t now_ms) {
  std::lock_guard round(maintenance_mutex_);
  std::vector<std::shared_ptr<SegmentPartition>> partitions;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    for (const auto& [id, p] : partitions_) partitions.push_back(p);
  }
  for (const auto& p : partitions) {
    try {
      p->maintain(now_ms);
    } catch (const std::exception& e) {
      logger_->error("segment: maintenance of partition " + partition_dir_name(p->id()) +
                     " failed: " + e.what());
    }
  }
}

void SegmentStorage::close() {
  stop_thread();
  std::lock_guard round(maintenance_mutex_);
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  bool all_clean = true;
  for (const auto& [id, p] : partitions_) {
    try {
      p->close();
    } catch (const std::exception& e) {
      all_clean = false;
      logger_->error("segment: closing partition " + partition_dir_name(id) + " failed: " + e.what());
    }
  }
  if (all_clean) {
    plugin_common::atomic_write_file(options_.dir / kCleanShutdownFile, std::string_view("clean\n"));
  }
  logger_->info("segment: closed " + std::to_string(partitions_.size()) + " partition(s)" +
                (all_clean ? "; logs marked clean" : "; logs NOT marked clean"));
}

}  // namespace brokkr::segment
