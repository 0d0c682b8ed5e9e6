// Exports UniformAssignor as the `uniform` assignor plugin.
#include "uniform_assignor.hpp"

BROKKR_PLUGIN(assignor, brokkr::assignors::UniformAssignor, "uniform", "0.1.0",
              "sticky, even spread of the subscribed partitions (KIP-848's uniform)");
