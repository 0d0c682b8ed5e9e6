// Exports RoundRobinAssignor as the `roundrobin` assignor plugin.
#include "roundrobin_assignor.hpp"

BROKKR_PLUGIN(assignor, brokkr::assignors::RoundRobinAssignor, "roundrobin", "0.1.0",
              "all subscribed partitions dealt round robin over the members (Kafka's roundrobin)");
