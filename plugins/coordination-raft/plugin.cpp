// Exports the raft coordinator as the `raft` coordination plugin.
#include "brokkr/sdk/coordination.hpp"
#include "raft_coordinator.hpp"

BROKKR_PLUGIN(coordination, brokkr::raft::RaftCoordinator, "raft", "0.1.0",
              "Embedded Raft metadata quorum (single voter): durable key-value store, "
              "ephemeral broker registrations, watches");
