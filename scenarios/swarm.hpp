#pragma once
// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012; TigerBeetle's VOPR): every seed of a
// scenario with "swarm": true runs its own configuration, drawn from the seed - which fault kinds
// the nemesis uses and their weights, how often it strikes, the cluster's size and protocol
// timings, and the workload's knobs. A fixed mix spreads every seed over the same thin coverage;
// one fault kind left out for a while lets another's rare interleavings happen. The draw is a pure
// function of (scenario, seed) on its own random stream, so `stormlog run SCENARIO --seed N`
// replays it, and its one-line description leads the run's summary so a failure explains its
// configuration.

#include <cstdint>
#include <string>

#include "workloads/scenario.hpp"

namespace stormlog::scenarios {

struct SwarmDraw {
    workloads::Scenario scenario;  // the base with this seed's configuration
    std::string line;              // "swarm: nodes=5 heartbeat=40ms ... kinds=crash:1.7,..."
};

// REQUIRES: base.swarm, and base has a nemesis and no scripted faults (the parser checks both).
SwarmDraw swarm_draw(const workloads::Scenario& base, uint64_t seed);

}  // namespace stormlog::scenarios
