#include "fetch/fetch_session_cache.hpp"

#include <random>

namespace brokkr::fetch {

std::shared_ptr<FetchSession> FetchSessionCache::create(std::map<FetchKey, FetchTarget> partitions) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  evict_idle(now);
  if (sessions_.size() >= max_sessions_) return nullptr;
  if (sessions_.empty() && next_id_ == 1) {
    // Random start so ids are not reused across broker restarts.
    next_id_ = static_cast<std::int32_t>(std::random_device{}() % 1000000) + 1;
  }
  auto session = std::make_shared<FetchSession>();
  do {
    session->id = next_id_++;
    if (next_id_ <= 0) next_id_ = 1;
  } while (sessions_.count(session->id));
  session->partitions = std::move(partitions);
  session->last_used = now;
  sessions_[session->id] = session;
  return session;
}

FetchSessionCache::Lookup FetchSessionCache::lookup(std::int32_t id, std::int32_t epoch) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return {nullptr, protocol::ErrorCode::fetch_session_id_not_found};
  auto& session = it->second;
  if (session->next_epoch != epoch) return {nullptr, protocol::ErrorCode::invalid_fetch_session_epoch};
  session->next_epoch = epoch == INT32_MAX ? 1 : epoch + 1;
  session->last_used = now;
  return {session, protocol::ErrorCode::none};
}

void FetchSessionCache::remove(std::int32_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::size_t FetchSessionCache::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void FetchSessionCache::evict_idle(std::chrono::steady_clock::time_point now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = now - it->second->last_used > idle_timeout_ ? sessions_.erase(it) : std::next(it);
  }
}

}  // namespace brokkr::fetch
