#include "groups/group.hpp"

#include <algorithm>
#include <stdexcept>

#include "groups/consumer_protocol.hpp"
#include "groups/protocol_selection.hpp"

namespace brokkr::groups {

void Group::transition_to(GroupState state, std::int64_t now_ms) {
  if (!valid_transition(state_, state)) {
    throw std::logic_error("group " + id_ + ": invalid transition " + state_name(state_) + " -> " +
                           state_name(state));
  }
  state_ = state;
  state_timestamp_ms_ = now_ms;
}

Member* Group::find(const std::string& member_id) {
  auto it = members_.find(member_id);
  return it == members_.end() ? nullptr : &it->second;
}

Member& Group::add(Member member) {
  if (member.instance_id) {
    if (static_members_.count(*member.instance_id)) {
      throw std::logic_error("group " + id_ + ": instance " + *member.instance_id + " is already a member");
    }
    static_members_[*member.instance_id] = member.id;
  }
  if (members_.empty()) protocol_type = member.protocol_type;
  if (!leader) leader = member.id;
  pending_members.erase(member.id);
  std::string id = member.id;
  return members_.insert_or_assign(id, std::move(member)).first->second;
}

std::optional<Member> Group::remove(const std::string& member_id) {
  pending_members.erase(member_id);
  pending_sync.erase(member_id);
  auto node = members_.extract(member_id);
  if (!node) return std::nullopt;
  if (node.mapped().instance_id) static_members_.erase(*node.mapped().instance_id);
  if (is_leader(member_id)) {
    leader = members_.empty() ? std::nullopt : std::optional<std::string>(members_.begin()->first);
  }
  return std::move(node.mapped());
}

std::optional<std::string> Group::static_member(const std::string& instance_id) const {
  auto it = static_members_.find(instance_id);
  return it == static_members_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

Member& Group::rename(const std::string& old_id, const std::string& new_id) {
  auto node = members_.extract(old_id);
  if (!node) throw std::logic_error("group " + id_ + ": no member " + old_id + " to rename");
  node.key() = new_id;
  node.mapped().id = new_id;
  if (node.mapped().instance_id) static_members_[*node.mapped().instance_id] = new_id;
  if (is_leader(old_id)) leader = new_id;
  if (pending_sync.erase(old_id)) pending_sync.insert(new_id);
  return members_.insert(std::move(node)).position->second;
}

std::size_t Group::awaiting_join_count() const {
  return static_cast<std::size_t>(
      std::count_if(members_.begin(), members_.end(), [](const auto& m) { return m.second.awaiting_join(); }));
}

bool Group::all_members_joined() const {
  return pending_members.empty() && awaiting_join_count() == members_.size();
}

bool Group::supports(const std::string& type, const std::vector<Protocol>& protocols) const {
  if (is(GroupState::empty)) return !type.empty() && !protocols.empty();
  if (!protocol_type || *protocol_type != type) return false;
  if (members_.empty()) return !protocols.empty();
  return shares_a_protocol(members_, protocols);
}

std::optional<std::string> Group::select_protocol() const {
  if (members_.empty()) return std::nullopt;
  return groups::select_protocol(members_);
}

std::int32_t Group::rebalance_timeout_ms() const {
  std::int32_t timeout = 0;
  for (const auto& [id, member] : members_) timeout = std::max(timeout, member.rebalance_timeout_ms);
  return timeout;
}

void Group::init_next_generation(std::int64_t now_ms) {
  ++generation;
  if (!members_.empty()) {
    protocol_name = select_protocol();
    transition_to(GroupState::completing_rebalance, now_ms);
  } else {
    protocol_name.reset();
    transition_to(GroupState::empty, now_ms);
  }
  compute_subscribed_topics();
  pending_sync.clear();
}

std::vector<JoinedMember> Group::member_metadata() const {
  std::vector<JoinedMember> out;
  for (const auto& [id, member] : members_) {
    const Bytes* metadata = protocol_name ? member.metadata_for(*protocol_name) : nullptr;
    out.push_back({id, member.instance_id, metadata ? *metadata : Bytes{}});
  }
  return out;
}

void Group::compute_subscribed_topics() {
  subscribed_topics_.reset();
  if (protocol_type != kConsumerProtocolType) return;
  if (members_.empty()) {
    subscribed_topics_.emplace();
    return;
  }
  if (!protocol_name) return;
  std::set<std::string> topics;
  for (const auto& [id, member] : members_) {
    const Bytes* metadata = member.metadata_for(*protocol_name);
    auto parsed = metadata ? subscription_topics(*metadata) : std::nullopt;
    if (!parsed) return;  // unknown: keep every offset
    topics.insert(parsed->begin(), parsed->end());
  }
  subscribed_topics_ = std::move(topics);
}

}  // namespace brokkr::groups
