#include "handlers/offset_fetch_handler.hpp"

#include <map>

#include "protocol/generated/offset_fetch_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::OffsetFetchResponse;

constexpr std::int16_t kMultiGroupFrom = 8;
constexpr std::int16_t kMemberEpochFrom = 9;  // member id and epoch (KIP-848)

// The requested partitions, or none for "every committed offset".
template <typename Topics>
std::optional<std::vector<groups::TopicPartition>> wanted(const std::optional<Topics>& topics) {
  if (!topics) return std::nullopt;
  std::vector<groups::TopicPartition> out;
  for (const auto& t : *topics) {
    for (auto p : t.partition_indexes) out.emplace_back(t.name, p);
  }
  return out;
}

// Results grouped by topic: requested topics in request order, else by name.
template <typename TopicOut, typename PartitionOut>
std::vector<TopicOut> by_topic(const groups::OffsetFetchResult& result,
                               const std::optional<std::vector<groups::TopicPartition>>& order,
                               std::int16_t version) {
  std::vector<TopicOut> out;
  std::map<std::string, std::size_t> index;
  auto add = [&](const groups::TopicPartition& tp, const groups::FetchedOffset& f) {
    auto [it, added] = index.try_emplace(tp.first, out.size());
    if (added) {
      out.emplace_back();
      out.back().name = tp.first;
    }
    PartitionOut p;
    p.partition_index = tp.second;
    p.committed_offset = f.offset;
    p.committed_leader_epoch = f.leader_epoch;
    p.metadata = f.metadata;
    // Before v2 there is no group-level error: each partition carries it.
    p.error_code = protocol::code(version < 2 && result.error != protocol::ErrorCode::none ? result.error : f.error);
    out[it->second].partitions.push_back(std::move(p));
  };
  if (order) {
    for (const auto& tp : *order) {
      auto it = result.offsets.find(tp);
      add(tp, it == result.offsets.end() ? groups::FetchedOffset{} : it->second);
    }
  } else {
    for (const auto& [tp, f] : result.offsets) add(tp, f);
  }
  return out;
}

}  // namespace

void OffsetFetchHandler::handle(const RequestContext& context, protocol::OffsetFetchRequest request,
                                ResponseWriter respond) {
  std::int16_t version = context.api_version;
  OffsetFetchResponse out;
  // require_stable (v7+) asks to wait out transactional commits; there are none.
  if (version < kMultiGroupFrom) {
    auto partitions = wanted(request.topics);
    auto result = coordinator_.fetch_offsets(request.group_id, partitions);
    // A group-level error: from v2 it stands alone; before, each partition carries it.
    if (result.error == protocol::ErrorCode::none || version < 2) {
      out.topics = by_topic<OffsetFetchResponse::OffsetFetchResponseTopic,
                            OffsetFetchResponse::OffsetFetchResponsePartition>(result, partitions, version);
    }
    out.error_code = protocol::code(result.error);
  } else {
    for (const auto& g : request.groups) {
      auto partitions = wanted(g.topics);
      std::optional<groups::FetchMember> member;
      if (version >= kMemberEpochFrom) member = groups::FetchMember{g.member_id, g.member_epoch};
      auto result = coordinator_.fetch_offsets(g.group_id, partitions, member);
      OffsetFetchResponse::OffsetFetchResponseGroup group;
      group.group_id = g.group_id;
      group.error_code = protocol::code(result.error);
      if (result.error == protocol::ErrorCode::none) {
        group.topics = by_topic<OffsetFetchResponse::OffsetFetchResponseTopics,
                                OffsetFetchResponse::OffsetFetchResponsePartitions>(result, partitions, version);
      }
      out.groups.push_back(std::move(group));
    }
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
