#pragma once

#include <map>
#include <string>

#include "partition/partition.hpp"

namespace brokkr::partition {

// A partition's settings from its topic's overrides and the broker defaults.
PartitionSettings partition_settings_for(const std::map<std::string, std::string>& topic_overrides,
                                         const std::map<std::string, std::string>& broker_defaults);

}  // namespace brokkr::partition
