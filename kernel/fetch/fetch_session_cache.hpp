// Fetch sessions (KIP-227): a client that fetches the same partitions over
// and over registers them once (a full fetch with epoch 0) and then sends
// only what changed (incremental fetches with epoch 1, 2, ...); the broker
// answers incremental fetches with only the partitions that have news.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/error_code.hpp"
#include "protocol/uuid.hpp"

namespace brokkr::fetch {

struct FetchKey {
  std::string topic;
  std::int32_t partition = 0;
  auto operator<=>(const FetchKey&) const = default;
};

struct FetchTarget {
  protocol::Uuid topic_id;
  std::int64_t fetch_offset = 0;
  std::int32_t partition_max_bytes = 0;
  std::int32_t current_leader_epoch = -1;
  // What the last response told the client, to send only news next time.
  std::int64_t sent_high_watermark = -1;
  std::int64_t sent_log_start_offset = -1;
};

struct FetchSession {
  std::int32_t id = 0;
  std::int32_t next_epoch = 1;
  std::map<FetchKey, FetchTarget> partitions;  // in insertion order would be nicer; key order is stable
  std::chrono::steady_clock::time_point last_used;
  std::mutex mutex;  // one fetch of a session at a time
};

class FetchSessionCache {
 public:
  explicit FetchSessionCache(std::size_t max_sessions = 1000,
                             std::chrono::milliseconds idle_timeout = std::chrono::minutes(2))
      : max_sessions_(max_sessions), idle_timeout_(idle_timeout) {}

  // A new session (nullptr when the cache is full: the fetch then runs
  // sessionless, with session id 0 in the response).
  std::shared_ptr<FetchSession> create(std::map<FetchKey, FetchTarget> partitions);
  // The session for an incremental fetch, or the error to answer with.
  struct Lookup {
    std::shared_ptr<FetchSession> session;
    protocol::ErrorCode error = protocol::ErrorCode::none;
  };
  Lookup lookup(std::int32_t id, std::int32_t epoch);
  void remove(std::int32_t id);
  std::size_t size() const;

 private:
  void evict_idle(std::chrono::steady_clock::time_point now);

  std::size_t max_sessions_;
  std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::map<std::int32_t, std::shared_ptr<FetchSession>> sessions_;
  std::int32_t next_id_ = 1;
};

}  // namespace brokkr::fetch
