#include "state_machine.hpp"

#include "encoding.hpp"

namespace brokkr::raft {

using sdk::kAnyVersion;
using sdk::kMustNotExist;
using sdk::StoreOp;
using sdk::StoreResult;
using sdk::StoreStatus;

sdk::StoreResult KvStateMachine::plan(const std::vector<StoreOp>& ops, Overlay& overlay,
                                      std::vector<sdk::StoreChange>* changes) const {
  StoreResult result;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const StoreOp& op = ops[i];
    std::optional<sdk::VersionedValue> current;
    if (auto o = overlay.find(op.key); o != overlay.end()) {
      current = o->second;
    } else if (auto e = entries_.find(op.key); e != entries_.end()) {
      current = e->second;
    }
    auto fail = [&](StoreStatus status) {
      return StoreResult{status, 0, i};
    };
    const std::int64_t expected = op.expected_version;
    switch (op.type) {
      case StoreOp::Type::put: {
        if (expected == kMustNotExist) {
          if (current) return fail(StoreStatus::version_mismatch);
        } else if (expected != kAnyVersion) {
          if (!current || current->version != expected) return fail(StoreStatus::version_mismatch);
        }
        sdk::VersionedValue next{op.data, current ? current->version + 1 : 0};
        result.version = next.version;
        if (changes) changes->push_back(sdk::StoreChange{op.key, next});
        overlay[op.key] = std::move(next);
        break;
      }
      case StoreOp::Type::erase: {
        if (!current) return fail(StoreStatus::not_found);
        if (expected != kAnyVersion && current->version != expected) {
          return fail(StoreStatus::version_mismatch);
        }
        if (changes) changes->push_back(sdk::StoreChange{op.key, std::nullopt});
        overlay[op.key] = std::nullopt;
        break;
      }
      case StoreOp::Type::check: {
        if (expected == kMustNotExist) {
          if (current) return fail(StoreStatus::version_mismatch);
        } else if (!current) {
          return fail(StoreStatus::not_found);
        } else if (expected != kAnyVersion && current->version != expected) {
          return fail(StoreStatus::version_mismatch);
        }
        break;
      }
    }
  }
  return result;
}

sdk::StoreResult KvStateMachine::check(const std::vector<StoreOp>& ops) const {
  Overlay overlay;
  return plan(ops, overlay, nullptr);
}

sdk::StoreResult KvStateMachine::apply(const std::vector<StoreOp>& ops,
                                       std::vector<sdk::StoreChange>* changes) {
  Overlay overlay;
  std::vector<sdk::StoreChange> planned;
  StoreResult result = plan(ops, overlay, changes ? &planned : nullptr);
  if (!result.ok()) return result;
  for (auto& [key, value] : overlay) {
    if (value) {
      entries_.insert_or_assign(key, std::move(*value));
    } else {
      entries_.erase(key);
    }
  }
  if (changes) {
    for (auto& change : planned) changes->push_back(std::move(change));
  }
  return result;
}

std::optional<sdk::VersionedValue> KvStateMachine::get(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<sdk::KeyValue> KvStateMachine::list(std::string_view prefix) const {
  std::vector<sdk::KeyValue> out;
  for (auto it = entries_.lower_bound(prefix); it != entries_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(sdk::KeyValue{it->first, it->second});
  }
  return out;
}

std::string KvStateMachine::serialize() const {
  Writer w;
  w.u64(entries_.size());
  for (const auto& [key, value] : entries_) {
    w.str(key);
    w.i64(value.version);
    w.str(value.data);
  }
  return w.take();
}

KvStateMachine KvStateMachine::deserialize(std::string_view image) {
  Reader r(image);
  KvStateMachine machine;
  std::uint64_t count = r.u64();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string key = r.str();
    sdk::VersionedValue value;
    value.version = r.i64();
    value.data = r.str();
    machine.entries_.emplace_hint(machine.entries_.end(), std::move(key), std::move(value));
  }
  if (!r.done()) throw DecodeError("trailing bytes after the state machine image");
  return machine;
}

bool KvStateMachine::operator==(const KvStateMachine& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (auto a = entries_.begin(), b = other.entries_.begin(); a != entries_.end(); ++a, ++b) {
    if (a->first != b->first || a->second.version != b->second.version ||
        a->second.data != b->second.data) {
      return false;
    }
  }
  return true;
}

}  // namespace brokkr::raft
