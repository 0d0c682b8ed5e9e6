#include "handlers/fetch_handler.hpp"

#include <chrono>

#include "fetch/down_conversion.hpp"
#include "fetch/fetch_reader.hpp"
#include "partition/delayed_operation.hpp"
#include "protocol/generated/fetch_response.hpp"

namespace brokkr::handlers {
namespace {

using fetch::FetchKey;
using fetch::FetchTarget;
using protocol::ErrorCode;
using protocol::FetchRequest;
using protocol::FetchResponse;

constexpr std::int32_t kFinalEpoch = -1;  // close the session / sessionless
constexpr std::int32_t kInitialEpoch = 0;  // start a new session

// Reads the request's partitions into targets; v13+ names topics by id.
void add_targets(const FetchRequest& request, const cluster::MetadataSnapshot& snapshot,
                 std::int16_t version, std::map<FetchKey, FetchTarget>& targets) {
  for (const auto& topic : request.topics) {
    std::string name = topic.topic;
    if (version >= 13) {
      name.clear();
      for (const auto& [topic_name, metadata] : snapshot.topics) {
        if (metadata->topic_id == topic.topic_id) name = topic_name;
      }
      // An unknown id keeps an empty name: lookups fail with UNKNOWN_TOPIC_OR_PARTITION.
    }
    protocol::Uuid id = topic.topic_id;
    if (auto it = snapshot.topics.find(name); version < 13 && it != snapshot.topics.end()) {
      id = it->second->topic_id;
    }
    for (const auto& p : topic.partitions) {
      FetchTarget& target = targets[FetchKey{name, p.partition}];
      target.topic_id = id;
      target.fetch_offset = p.fetch_offset;
      target.partition_max_bytes = p.partition_max_bytes;
      target.current_leader_epoch = p.current_leader_epoch;
    }
  }
}

void forget_targets(const FetchRequest& request, const cluster::MetadataSnapshot& snapshot,
                    std::int16_t version, std::map<FetchKey, FetchTarget>& targets) {
  for (const auto& topic : request.forgotten_topics_data) {
    for (auto partition : topic.partitions) {
      if (version < 13) {
        targets.erase(FetchKey{topic.topic, partition});
        continue;
      }
      for (auto it = targets.begin(); it != targets.end();) {
        bool match = it->first.partition == partition && it->second.topic_id == topic.topic_id;
        it = match ? targets.erase(it) : std::next(it);
      }
    }
  }
}

// Answers when enough data is there (fetch.min.bytes), on an error, or at
// max.wait.ms with what there is.
class DelayedFetch final : public partition::DelayedOperation {
 public:
  DelayedFetch(boost::asio::io_context& io, std::chrono::milliseconds wait,
               const cluster::MetadataCache& metadata, partition::PartitionManager& partitions,
               std::shared_ptr<fetch::FetchSession> session, std::map<FetchKey, FetchTarget> targets,
               fetch::FetchLimits limits, std::int32_t min_bytes, std::int32_t session_id,
               ResponseWriter respond)
      : DelayedOperation(io, wait),
        metadata_(metadata),
        partitions_(partitions),
        session_(std::move(session)),
        targets_(std::move(targets)),
        limits_(limits),
        min_bytes_(min_bytes),
        session_id_(session_id),
        respond_(std::move(respond)) {}

  std::map<FetchKey, FetchTarget>& targets() { return session_ ? session_->partitions : targets_; }

 protected:
  bool try_complete() override {
    auto snapshot = metadata_.snapshot();
    std::unique_lock lock = session_lock();
    fetch::FetchReader reader(*snapshot, partitions_);
    auto available = reader.available(targets(), limits_);
    if (!available.error && available.bytes < min_bytes_) return false;
    send(reader);
    return true;
  }
  void on_expired() override {
    auto snapshot = metadata_.snapshot();
    std::unique_lock lock = session_lock();
    fetch::FetchReader reader(*snapshot, partitions_);
    send(reader);
  }

 private:
  std::unique_lock<std::mutex> session_lock() {
    return session_ ? std::unique_lock<std::mutex>(session_->mutex) : std::unique_lock<std::mutex>();
  }
  void send(const fetch::FetchReader& reader) {
    FetchResponse response;
    response.session_id = session_id_;
    reader.read(targets(), limits_, response);
    respond_.send(response);
  }

  const cluster::MetadataCache& metadata_;
  partition::PartitionManager& partitions_;
  std::shared_ptr<fetch::FetchSession> session_;
  std::map<FetchKey, FetchTarget> targets_;  // sessionless fetches
  fetch::FetchLimits limits_;
  std::int32_t min_bytes_;
  std::int32_t session_id_;
  ResponseWriter respond_;
};

}  // namespace

void FetchHandler::handle(const RequestContext& context, FetchRequest request, ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  std::int16_t version = context.api_version;
  fetch::FetchLimits limits;
  limits.max_bytes = request.max_bytes;
  limits.read_committed = request.isolation_level == 1;
  limits.by_topic_id = version >= 13;
  if (version < 4) limits.legacy_magic = fetch::legacy_magic_for_fetch(version);

  std::shared_ptr<fetch::FetchSession> session;
  std::map<FetchKey, FetchTarget> targets;
  std::int32_t response_session_id = 0;

  if (version >= 7 && request.session_id != 0 && request.session_epoch != kInitialEpoch &&
      request.session_epoch != kFinalEpoch) {
    // Incremental fetch on an existing session.
    auto found = sessions_.lookup(request.session_id, request.session_epoch);
    if (!found.session) {
      FetchResponse error;
      error.error_code = protocol::code(found.error);
      return respond.send(error);
    }
    session = found.session;
    std::lock_guard lock(session->mutex);
    add_targets(request, *snapshot, version, session->partitions);
    forget_targets(request, *snapshot, version, session->partitions);
    limits.incremental = true;
    response_session_id = session->id;
  } else {
    if (version >= 7 && request.session_id != 0) sessions_.remove(request.session_id);
    add_targets(request, *snapshot, version, targets);
    if (version >= 7 && request.session_epoch == kInitialEpoch) {
      session = sessions_.create(std::move(targets));
      if (session) {
        response_session_id = session->id;
      } else {
        targets = {};
        add_targets(request, *snapshot, version, targets);  // cache full: sessionless
      }
    }
  }

  auto wait = std::chrono::milliseconds(std::max(request.max_wait_ms, 0));
  auto delayed = std::make_shared<DelayedFetch>(io_, wait, metadata_, partitions_, session,
                                                std::move(targets), limits,
                                                std::max(request.min_bytes, 0), response_session_id,
                                                std::move(respond));
  std::vector<std::shared_ptr<partition::Partition>> watched;
  {
    auto lock = session ? std::unique_lock<std::mutex>(session->mutex) : std::unique_lock<std::mutex>();
    watched = fetch::local_partitions(delayed->targets(), partitions_);
  }
  delayed->start(watched);
}

}  // namespace brokkr::handlers
