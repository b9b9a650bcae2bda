#pragma once
// A run's faults made explicit: the scenario it ran (for a swarm, the seed's drawn configuration)
// with the nemesis replaced by scripted faults - each applied fault at its exact time, for as long
// as it lasted, on the nodes it hit, with the layout and choices it drew. Running it under the
// same seed replays the run's faults with no draw (`stormlog run --dump-scenario`); it is where
// `stormlog shrink` starts.

#include <cstdint>

#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"

namespace stormlog::scenarios {

// REQUIRES: `result` is the run of `ran` under `seed`.
workloads::Scenario explicit_scenario(const workloads::Scenario& ran, uint64_t seed,
                                      const workloads::RunResult& result);

// What a seed of `s` runs: for a swarm, the configuration it draws; otherwise `s`.
workloads::Scenario as_run(const workloads::Scenario& s, uint64_t seed);

}  // namespace stormlog::scenarios
