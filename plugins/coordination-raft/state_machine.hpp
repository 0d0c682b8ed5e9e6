// The replicated key-value state machine: '/'-separated keys to opaque
// values, each with a version for compare-and-set (coordination.hpp).
//
// A batch of StoreOps is applied all-or-nothing. Ops see the effects of the
// ops before them in the same batch. Rules, per op:
//   put    kMustNotExist: the key must be absent; kAnyVersion: always;
//          v >= 0: the key must exist at version v. Creates at version 0,
//          otherwise version + 1. A failed condition is version_mismatch.
//   erase  the key must exist (else not_found); kAnyVersion: always;
//          v >= 0: must be at version v (else version_mismatch).
//   check  kMustNotExist: ok when absent, version_mismatch when present;
//          otherwise the key must exist (else not_found), and with v >= 0
//          be at version v (else version_mismatch).
// Result: ok with `version` = the new version of the batch's last put (0 if
// none), or the first failing op's status and index in `failed_op`.
//
// Not thread-safe: the owner guards it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brokkr/sdk/coordination.hpp"

namespace brokkr::raft {

class KvStateMachine {
 public:
  // Evaluates `ops` against the current state without changing it.
  sdk::StoreResult check(const std::vector<sdk::StoreOp>& ops) const;
  // Applies `ops` when they all pass; appends the resulting changes (one per
  // put/erase, in op order) to `changes` when given.
  sdk::StoreResult apply(const std::vector<sdk::StoreOp>& ops,
                         std::vector<sdk::StoreChange>* changes = nullptr);

  std::optional<sdk::VersionedValue> get(std::string_view key) const;
  std::vector<sdk::KeyValue> list(std::string_view prefix) const;
  std::size_t size() const { return entries_.size(); }

  // A self-contained image of the whole state, for snapshots.
  std::string serialize() const;
  // Throws DecodeError on a malformed image.
  static KvStateMachine deserialize(std::string_view image);

  bool operator==(const KvStateMachine& other) const;

 private:
  using Overlay = std::map<std::string, std::optional<sdk::VersionedValue>, std::less<>>;
  sdk::StoreResult plan(const std::vector<sdk::StoreOp>& ops, Overlay& overlay,
                        std::vector<sdk::StoreChange>* changes) const;

  std::map<std::string, sdk::VersionedValue, std::less<>> entries_;
};

}  // namespace brokkr::raft
