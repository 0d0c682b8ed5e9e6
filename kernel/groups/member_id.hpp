// Member ids as Kafka makes them: "<client id or group.instance.id>-<UUID>".
#pragma once

#include <string>

namespace brokkr::groups {

std::string make_member_id(const std::string& prefix);

}  // namespace brokkr::groups
