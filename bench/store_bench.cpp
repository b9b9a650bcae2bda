#include "bench/store_bench.hpp"

#include <chrono>
#include <cstdio>

#include "scenarios/runner.hpp"

namespace stormlog::bench {
namespace {

struct Measured {
    double sim_s = 0;
    double wall_s = 0;
    bool pass = true;
};

Measured measure(int runs) {
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    Measured m;
    if (!scenarios::resolve_scenario("store-steady", scenario, errors)) {
        m.pass = false;
        return m;
    }
    for (int i = 0; i < runs; ++i) {
        scenarios::RunOptions options;
        options.seed = static_cast<uint64_t>(i + 1);
        const auto start = std::chrono::steady_clock::now();
        const scenarios::RunResult r = scenarios::run_scenario(scenario, options);
        m.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        m.sim_s += static_cast<double>((r.sim_time - sim::Time::zero()).ns()) / 1e9;
        m.pass = m.pass && r.pass;
    }
    return m;
}

}  // namespace

double store_time_compression(int runs) {
    const Measured m = measure(runs);
    return m.wall_s > 0 ? m.sim_s / m.wall_s : 0;
}

int run_store_bench(std::ostream& out) {
    constexpr int k_runs = 10;
    (void)measure(1);  // warm up: page in the binary, the allocator's arenas
    const Measured m = measure(k_runs);
    char line[200];
    std::snprintf(line, sizeof line, "BENCH store.time_compression ratio=%.0f runs=%d sim_s=%.0f wall_s=%.3f%s\n",
                  m.wall_s > 0 ? m.sim_s / m.wall_s : 0.0, k_runs, m.sim_s, m.wall_s,
                  m.pass ? "" : " FAILED: a run did not pass");
    out << line;
    return m.pass ? 0 : 1;
}

}  // namespace stormlog::bench
