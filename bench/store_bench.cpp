#include "bench/store_bench.hpp"

#include <cstdio>

#include "bench/timed_run.hpp"

namespace stormlog::bench {
namespace {

struct Measured {
    double sim_s = 0;
    double wall_s = 0;
    bool pass = true;
};

Measured measure(const char* scenario_name, int runs) {
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    Measured m;
    if (!scenarios::resolve_scenario(scenario_name, scenario, errors)) {
        m.pass = false;
        return m;
    }
    for (int i = 0; i < runs; ++i) {
        const TimedRun t = run_timed(scenario, static_cast<uint64_t>(i + 1));
        m.wall_s += t.wall_s;
        m.sim_s += t.sim_s;
        m.pass = m.pass && t.result.pass;
    }
    return m;
}

int run_time_compression(std::ostream& out, const char* label, const char* scenario_name) {
    constexpr int k_runs = 10;
    (void)measure(scenario_name, 1);  // warm up: page in the binary, the allocator's arenas
    const Measured m = measure(scenario_name, k_runs);
    char line[200];
    std::snprintf(line, sizeof line,
                  "BENCH %s.time_compression ratio=%.0f runs=%d sim_s=%.0f wall_s=%.3f%s\n", label,
                  m.wall_s > 0 ? m.sim_s / m.wall_s : 0.0, k_runs, m.sim_s, m.wall_s,
                  m.pass ? "" : " FAILED: a run did not pass");
    out << line;
    return m.pass ? 0 : 1;
}

}  // namespace

double store_time_compression(int runs) {
    const Measured m = measure("store-steady", runs);
    return m.wall_s > 0 ? m.sim_s / m.wall_s : 0;
}

int run_store_bench(std::ostream& out) {
    return run_time_compression(out, "store", "store-steady");
}

int run_ledger_bench(std::ostream& out) {
    return run_time_compression(out, "ledger", "ledger-steady");
}

}  // namespace stormlog::bench
