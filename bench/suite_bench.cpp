#include "bench/suite_bench.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <system_error>
#include <thread>
#include <vector>

#include "scenarios/runner.hpp"

namespace stormlog::bench {
namespace {

struct Batch {
    double sim_s = 0;
    double wall_s = 0;
    int jobs = 1;
    bool pass = true;
};

// Runs seeds 1..seeds of `scenario` on one thread per core; each thread takes the next seed.
Batch run_batch(const scenarios::Scenario& scenario, int seeds) {
    Batch b;
    b.jobs = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, seeds);
    std::vector<double> sim_s(static_cast<size_t>(seeds), 0.0);
    std::vector<char> pass(static_cast<size_t>(seeds), 0);
    std::atomic<int> next{0};
    auto worker = [&] {
        for (int i = next.fetch_add(1); i < seeds; i = next.fetch_add(1)) {
            scenarios::RunOptions options;
            options.seed = static_cast<uint64_t>(i + 1);
            const scenarios::RunResult r = scenarios::run_scenario(scenario, options);
            sim_s[static_cast<size_t>(i)] =
                static_cast<double>((r.sim_time - sim::Time::zero()).ns()) / 1e9;
            pass[static_cast<size_t>(i)] = r.pass ? 1 : 0;
        }
    };
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < b.jobs; ++t) {
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error&) {
            break;  // fewer threads: the same runs, only later
        }
    }
    if (threads.empty()) worker();
    for (std::thread& t : threads) t.join();
    b.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    b.jobs = std::max(1, static_cast<int>(threads.size()));
    for (int i = 0; i < seeds; ++i) {
        b.sim_s += sim_s[static_cast<size_t>(i)];
        b.pass = b.pass && pass[static_cast<size_t>(i)] != 0;
    }
    return b;
}

int bench_scenario(std::ostream& out, const char* name) {
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    if (!scenarios::resolve_scenario(name, scenario, errors)) {
        out << "BENCH suite." << name << " FAILED: no such scenario\n";
        return 1;
    }
    const Batch b = run_batch(scenario, k_suite_bench_seeds);
    const double ratio = b.wall_s > 0 ? b.sim_s / b.wall_s : 0.0;
    constexpr double k_seed_sim_s = 60.0;
    constexpr double k_hour_s = 3600.0;
    char line[256];
    std::snprintf(line, sizeof line,
                  "BENCH suite.%s seeds=%d jobs=%d sim_s=%.0f wall_s=%.3f sim_per_wall=%.0f "
                  "seeds_60s_per_hour=%.0f%s\n",
                  name, k_suite_bench_seeds, b.jobs, b.sim_s, b.wall_s, ratio,
                  ratio * k_hour_s / k_seed_sim_s, b.pass ? "" : " FAILED: a run did not pass");
    out << line;
    return b.pass ? 0 : 1;
}

}  // namespace

int run_suite_bench(std::ostream& out) {
    int code = 0;
    code |= bench_scenario(out, "nemesis-within");
    code |= bench_scenario(out, "ledger-nemesis");
    return code;
}

}  // namespace stormlog::bench
