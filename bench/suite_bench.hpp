#pragma once
// Seeds per hour: the figure a team plans its nights with. `nemesis-within` (the store under a
// random nemesis within the fault budget) and `ledger-nemesis` (the whole ledger system under every
// fault kind) run for a fixed number of seeds on every core, each run one simulation on one thread
// (DESIGN.md, determinism rule 3), every property on. The wall time is the whole batch's.

#include <ostream>

namespace stormlog::bench {

// Seeds each scenario of the suite bench runs (1..k_suite_bench_seeds).
inline constexpr int k_suite_bench_seeds = 32;

// Prints, per scenario, `BENCH suite.<scenario> seeds=<n> jobs=<j> sim_s=<s> wall_s=<w>
// sim_per_wall=<x> seeds_60s_per_hour=<y>`: simulated seconds per wall second over all cores, and
// how many 60-second seeds an hour of this machine runs. Returns 0, or 1 if a run did not pass
// (the nemesis scenarios pass on every seed of a healthy build).
int run_suite_bench(std::ostream& out);

}  // namespace stormlog::bench
