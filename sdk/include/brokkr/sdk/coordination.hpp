// Coordination: how brokers find each other, agree on a controller, and keep
// cluster metadata (topics, partition replicas, leaders, ISR, epochs,
// configs). Shaped so that a ZooKeeper ensemble (ephemeral znodes, znode
// versions, multi-op, watches) and an embedded Raft quorum (a replicated
// log applied to a key-value state machine) can both implement it.
//
// The store is a map from '/'-separated keys to opaque byte strings; the
// kernel decides what the values mean. Every key carries a version that
// starts at 0 when created and grows by one on each write, for
// compare-and-set.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::sdk {

struct BrokerEndpoint {
  std::string listener_name;      // e.g. "PLAINTEXT"
  std::string host;
  std::int32_t port = 0;
  std::string security_protocol;  // PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
  bool operator==(const BrokerEndpoint&) const = default;
};

struct BrokerRegistration {
  std::int32_t node_id = 0;
  std::optional<std::string> rack;
  std::vector<BrokerEndpoint> endpoints;  // advertised endpoints
  bool operator==(const BrokerRegistration&) const = default;
};

struct VersionedValue {
  std::string data;
  std::int64_t version = 0;
};

struct KeyValue {
  std::string key;
  VersionedValue value;
};

// Expected-version values with a special meaning.
inline constexpr std::int64_t kAnyVersion = -2;    // write unconditionally
inline constexpr std::int64_t kMustNotExist = -1;  // create only

struct StoreOp {
  enum class Type { put, erase, check } type = Type::put;
  std::string key;
  std::string data;                          // for put
  std::int64_t expected_version = kAnyVersion;
};

enum class StoreStatus {
  ok,
  version_mismatch,  // a compare-and-set lost: someone wrote first
  not_found,         // erase/check of a key that does not exist
  unavailable,       // no quorum / session lost: retry later
};

struct StoreResult {
  StoreStatus status = StoreStatus::ok;
  // For a single put: the key's new version. For a failed op: which op failed.
  std::int64_t version = 0;
  std::size_t failed_op = 0;
  bool ok() const { return status == StoreStatus::ok; }
};

struct StoreChange {
  std::string key;
  std::optional<VersionedValue> value;  // nullopt: the key was erased
};

// Membership and controller changes, delivered together so a listener sees a
// consistent picture.
struct ClusterView {
  std::vector<BrokerRegistration> live_brokers;  // sorted by node id
  std::optional<std::int32_t> controller_id;
};

using StoreWatchCallback = std::function<void(const std::vector<StoreChange>&)>;
using ClusterViewCallback = std::function<void(const ClusterView&)>;

class ClusterCoordinator {
 public:
  virtual ~ClusterCoordinator() = default;

  // Opens or joins the store; returns once reads are served, throws on failure.
  virtual void start() = 0;
  // Leaves cleanly (a clean shutdown deregisters at once instead of waiting
  // for a lease or session to expire).
  virtual void stop() = 0;

  // Stable for the life of the cluster; created on first start.
  virtual std::string cluster_id() = 0;

  // Registers this broker as alive for as long as its lease/session holds,
  // and makes it a candidate in controller elections.
  virtual void register_broker(const BrokerRegistration& registration) = 0;
  virtual ClusterView cluster_view() = 0;

  virtual std::optional<VersionedValue> get(std::string_view key) = 0;
  // All keys that start with `prefix`, in key order.
  virtual std::vector<KeyValue> list(std::string_view prefix) = 0;
  // Applies all ops atomically, or none of them.
  virtual StoreResult commit(const std::vector<StoreOp>& ops) = 0;

  StoreResult put(std::string key, std::string data, std::int64_t expected_version = kAnyVersion) {
    return commit({StoreOp{StoreOp::Type::put, std::move(key), std::move(data), expected_version}});
  }
  StoreResult erase(std::string key, std::int64_t expected_version = kAnyVersion) {
    return commit({StoreOp{StoreOp::Type::erase, std::move(key), {}, expected_version}});
  }

  // Callbacks run on a coordinator-owned thread, after the change is
  // committed, in commit order. Return a handle for unwatch().
  virtual std::uint64_t watch(std::string prefix, StoreWatchCallback callback) = 0;
  virtual std::uint64_t watch_cluster(ClusterViewCallback callback) = 0;
  virtual void unwatch(std::uint64_t handle) = 0;
};

}  // namespace brokkr::sdk
