// Builds Fetch responses from local partitions: one pass over the fetch
// targets, respecting the response and per-partition byte limits.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "cluster/topic_metadata.hpp"
#include "fetch/fetch_session_cache.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/fetch_response.hpp"

namespace brokkr::fetch {

struct FetchLimits {
  std::int32_t max_bytes = INT32_MAX;  // whole response
  bool read_committed = false;
  bool by_topic_id = false;            // v13+: topics named by id in the response
  bool incremental = false;            // answer only partitions with news
  // Fetch v0-3: records go out as a legacy message set of this magic
  // (down-converted in memory) instead of file ranges.
  std::optional<std::int8_t> legacy_magic;
};

class FetchReader {
 public:
  FetchReader(const cluster::MetadataSnapshot& snapshot, partition::PartitionManager& partitions)
      : snapshot_(snapshot), partitions_(partitions) {}

  // Bytes ready to send now, and whether some partition has an error (an
  // error answers a long poll at once).
  struct Available {
    std::int64_t bytes = 0;
    bool error = false;
  };
  Available available(const std::map<FetchKey, FetchTarget>& targets, const FetchLimits& limits) const;

  // Reads every target into `response` (updating what was sent per target).
  void read(std::map<FetchKey, FetchTarget>& targets, const FetchLimits& limits,
            protocol::FetchResponse& response) const;

 private:
  const cluster::MetadataSnapshot& snapshot_;
  partition::PartitionManager& partitions_;
};

// Partitions the targets are served from (the ones a long poll waits on).
std::vector<std::shared_ptr<partition::Partition>> local_partitions(
    const std::map<FetchKey, FetchTarget>& targets, partition::PartitionManager& partitions);

}  // namespace brokkr::fetch
