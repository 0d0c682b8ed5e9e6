// A GroupLog in memory for the group coordinator's tests: keeps every write
// as a record of its partition (replayed by load_partition in order, like
// the compacted topic would be), can hold completions back to test answers
// that wait for durability, and can fail the next writes.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "groups/group_log.hpp"

namespace brokkr::test {

class MemoryGroupLog final : public groups::GroupLog {
 public:
  struct OffsetRemoved {
    std::string group;
    std::string topic;
    std::int32_t partition;
  };
  struct GroupRemoved {
    std::string group;
  };
  struct Offset {
    std::string group;
    groups::CommittedOffset offset;
  };
  using Record = std::variant<Offset, OffsetRemoved, groups::StoredGroup, GroupRemoved, groups::GroupRecord>;

  explicit MemoryGroupLog(std::int32_t partitions = 3) : records_(static_cast<std::size_t>(partitions)) {}

  std::int32_t partition_for(const std::string& group) const override {
    std::uint32_t h = 0;
    for (unsigned char c : group) h = h * 31 + c;
    return static_cast<std::int32_t>(h % records_.size());
  }
  std::int32_t partition_count() const override { return static_cast<std::int32_t>(records_.size()); }

  void store_offsets(const std::string& group, const std::vector<groups::CommittedOffset>& offsets,
                     Done done) override {
    write(group, done, [&](std::vector<Record>& out) {
      for (const auto& o : offsets) out.push_back(Offset{group, o});
    });
  }
  void remove_offsets(const std::string& group, const std::vector<std::pair<std::string, std::int32_t>>& partitions,
                      Done done) override {
    write(group, done, [&](std::vector<Record>& out) {
      for (const auto& [topic, p] : partitions) out.push_back(OffsetRemoved{group, topic, p});
    });
  }
  void store_group(const groups::StoredGroup& group, Done done) override {
    ++group_writes;
    write(group.group_id, done, [&](std::vector<Record>& out) { out.push_back(group); });
  }
  void remove_group(const std::string& group, Done done) override {
    write(group, done, [&](std::vector<Record>& out) { out.push_back(GroupRemoved{group}); });
  }

  void store_records(const std::string& group, std::vector<groups::GroupRecord> records, Done done) override {
    ++record_writes;
    write(group, done, [&](std::vector<Record>& out) {
      for (auto& r : records) out.push_back(std::move(r));
    });
  }

  void load_partition(std::int32_t partition, const groups::GroupLogVisitor& visitor) override {
    std::vector<Record> copy;
    {
      std::lock_guard lock(mutex_);
      copy = records_.at(static_cast<std::size_t>(partition));
    }
    for (const auto& r : copy) {
      if (auto* o = std::get_if<Offset>(&r)) visitor.offset(o->group, o->offset);
      if (auto* o = std::get_if<OffsetRemoved>(&r)) visitor.offset_removed(o->group, o->topic, o->partition);
      if (auto* g = std::get_if<groups::StoredGroup>(&r)) visitor.group(*g);
      if (auto* g = std::get_if<GroupRemoved>(&r)) visitor.group_removed(g->group);
      if (auto* g = std::get_if<groups::GroupRecord>(&r); g && visitor.other_record && g->key.size() >= 2) {
        auto version = static_cast<std::int16_t>((g->key[0] << 8) | g->key[1]);
        std::optional<std::span<const std::uint8_t>> value;
        if (g->value) value = std::span<const std::uint8_t>(*g->value);
        visitor.other_record(version, g->key, value);
      }
    }
  }

  // -- test controls --
  // Completions wait until release() while holding.
  void hold(bool on) {
    std::lock_guard lock(mutex_);
    holding_ = on;
  }
  void release() {
    std::vector<std::function<void()>> ready;
    {
      std::lock_guard lock(mutex_);
      ready.swap(held_);
    }
    for (auto& f : ready) f();
  }
  // The next `count` writes fail with `error` (and are not kept).
  void fail_next(protocol::ErrorCode error, int count = 1) {
    std::lock_guard lock(mutex_);
    fail_error_ = error;
    fail_count_ = count;
  }
  std::vector<Record> all_records() const {
    std::lock_guard lock(mutex_);
    std::vector<Record> out;
    for (const auto& p : records_) out.insert(out.end(), p.begin(), p.end());
    return out;
  }
  int group_writes = 0;
  int record_writes = 0;  // store_records calls (KIP-848 groups)

 private:
  template <typename Fill>
  void write(const std::string& group, const Done& done, Fill fill) {
    protocol::ErrorCode result = protocol::ErrorCode::none;
    bool deferred = false;
    {
      std::lock_guard lock(mutex_);
      if (fail_count_ > 0) {
        --fail_count_;
        result = fail_error_;
      } else {
        fill(records_[static_cast<std::size_t>(partition_for(group))]);
      }
      if (holding_) {
        held_.push_back([done, result] { done(result); });
        deferred = true;
      }
    }
    if (!deferred) done(result);
  }

  mutable std::mutex mutex_;
  std::vector<std::vector<Record>> records_;
  bool holding_ = false;
  std::vector<std::function<void()>> held_;
  protocol::ErrorCode fail_error_ = protocol::ErrorCode::none;
  int fail_count_ = 0;
};

}  // namespace brokkr::test
