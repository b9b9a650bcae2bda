#pragma once
// One scenario run under the wall clock: what every speed bench measures (the clock lives here,
// outside the simulated world).

#include <chrono>
#include <cstdint>

#include "scenarios/runner.hpp"

namespace stormlog::bench {

struct TimedRun {
    scenarios::RunResult result;
    double wall_s = 0;
    double sim_s = 0;
};

inline TimedRun run_timed(const scenarios::Scenario& scenario, uint64_t seed) {
    scenarios::RunOptions options;
    options.seed = seed;
    TimedRun t;
    const auto start = std::chrono::steady_clock::now();
    t.result = scenarios::run_scenario(scenario, options);
    t.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.sim_s = static_cast<double>((t.result.sim_time - sim::Time::zero()).ns()) / 1e9;
    return t;
}

}  // namespace stormlog::bench
