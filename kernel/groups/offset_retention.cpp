#include "groups/offset_retention.hpp"

#include "groups/consumer_protocol.hpp"

namespace brokkr::groups {
namespace {

template <typename BaseTimestamp>
std::vector<TopicPartition> expired_since(const Group& group, std::int64_t now_ms, std::int64_t retention_ms,
                                          BaseTimestamp base, const std::set<std::string>* keep_topics) {
  std::vector<TopicPartition> out;
  for (const auto& [tp, offset] : group.offsets.all()) {
    if (keep_topics && keep_topics->count(tp.first)) continue;
    bool expired = offset.expire_timestamp_ms ? now_ms >= *offset.expire_timestamp_ms
                                              : now_ms - base(offset) >= retention_ms;
    if (expired) out.push_back(tp);
  }
  return out;
}

}  // namespace

std::vector<TopicPartition> expired_offsets(const Group& group, std::int64_t now_ms, std::int64_t retention_ms) {
  auto commit_time = [](const CommittedOffset& o) { return o.commit_timestamp_ms; };
  if (!group.protocol_type) return expired_since(group, now_ms, retention_ms, commit_time, nullptr);
  if (group.is(GroupState::empty)) {
    auto since_empty = [&](const CommittedOffset& o) {
      return group.state_timestamp_ms() ? *group.state_timestamp_ms() : o.commit_timestamp_ms;
    };
    return expired_since(group, now_ms, retention_ms, since_empty, nullptr);
  }
  if (*group.protocol_type == kConsumerProtocolType && group.is(GroupState::stable) &&
      group.subscribed_topics()) {
    return expired_since(group, now_ms, retention_ms, commit_time, &*group.subscribed_topics());
  }
  return {};
}

}  // namespace brokkr::groups
