#include "group/group_member.hpp"

#include "group/classic_member.hpp"
#include "group/consumer_protocol_member.hpp"
#include "group/group_settings.hpp"

namespace brokkr::client {

std::unique_ptr<GroupMember> make_group_member(Cluster& cluster, const Properties& properties) {
  auto settings = parse_group_settings(properties);
  if (settings.protocol == GroupProtocol::consumer) {
    return std::make_unique<ConsumerProtocolMember>(cluster, std::move(settings));
  }
  return std::make_unique<ClassicMember>(cluster, std::move(settings));
}

}  // namespace brokkr::client
