// Exports RangeAssignor as the `range` assignor plugin.
#include "range_assignor.hpp"

BROKKR_PLUGIN(assignor, brokkr::assignors::RangeAssignor, "range", "0.1.0",
              "contiguous ranges of each topic's partitions over its subscribers (Kafka's range)");
