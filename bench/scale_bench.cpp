#include "bench/scale_bench.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/child_process.hpp"
#include "bench/timed_run.hpp"

namespace stormlog::bench {
namespace {

constexpr int k_messaging_nodes[] = {5, 11, 25, 51, 101};
constexpr int k_store_nodes[] = {3, 5, 9, 15};

struct Measured {
    double sim_s = 0;
    double wall_s = 0;
    uint64_t messages = 0;   // network packets sent
    uint64_t committed = 0;  // store: committed appends
    double rss_peak_kib = 0;
    bool pass = false;
};

// The number after `key=` in the run's summary lines (0 if absent).
uint64_t summary_figure(const scenarios::RunResult& r, const std::string& key) {
    const std::string needle = key + "=";
    for (const std::string& line : r.summary) {
        const size_t at = line.find(needle);
        if (at != std::string::npos)
            return std::strtoull(line.c_str() + at + needle.size(), nullptr, 10);
    }
    return 0;
}

Measured measure_here(const char* scenario_name, int nodes) {
    Measured m;
    scenarios::Scenario scenario;
    scenarios::ScenarioErrors errors;
    if (!scenarios::resolve_scenario(scenario_name, scenario, errors)) return m;
    scenario.cluster.nodes = nodes;
    const TimedRun t = run_timed(scenario, 1);
    m.wall_s = t.wall_s;
    m.sim_s = t.sim_s;
    m.messages = summary_figure(t.result, "network: sent");
    m.committed = summary_figure(t.result, "committed_appends");
    m.pass = t.result.pass;
    return m;
}

// The fastest of k_repeats runs: a small cluster's run takes milliseconds, where a shared
// machine's noise alone moved the per-message figure by 2x between two invocations. The same seed
// each time, so every repeat does the same work; the peak RSS is the largest seen.
constexpr int k_repeats = 5;

Measured measure(const char* scenario_name, int nodes) {
    Measured best;
    for (int i = 0; i < k_repeats; ++i) {
        const ChildResult<Measured> r =
            run_in_child<Measured>([&] { return measure_here(scenario_name, nodes); });
        if (!r.value) return Measured{};  // pass = false: the child died
        if (i == 0 || r.value->wall_s < best.wall_s) {
            const double rss = best.rss_peak_kib;
            best = *r.value;
            best.rss_peak_kib = rss;
        }
        best.rss_peak_kib = std::max(best.rss_peak_kib, r.rss_peak_kib);
    }
    return best;
}

double per_us(double wall_s, uint64_t count) {
    return count > 0 ? wall_s * 1e6 / static_cast<double>(count) : 0.0;
}

int print_row(std::ostream& out, const char* label, int nodes, const Measured& m, bool store) {
    const double rss_kib = m.rss_peak_kib;
    char line[320];
    std::snprintf(line, sizeof line,
                  "BENCH scale.%s nodes=%d sim_s=%.0f wall_s=%.3f messages=%llu "
                  "wall_us_per_message=%.2f",
                  label, nodes, m.sim_s, m.wall_s, static_cast<unsigned long long>(m.messages),
                  per_us(m.wall_s, m.messages));
    out << line;
    if (store) {
        std::snprintf(line, sizeof line, " committed=%llu wall_us_per_committed=%.1f",
                      static_cast<unsigned long long>(m.committed), per_us(m.wall_s, m.committed));
        out << line;
    }
    std::snprintf(line, sizeof line, " rss_peak_mib=%.1f rss_peak_kib_per_node=%.0f%s\n",
                  rss_kib / 1024.0, rss_kib / nodes, m.pass ? "" : " FAILED: the run did not pass");
    out << line;
    return m.pass ? 0 : 1;
}

}  // namespace

int run_scale_bench(std::ostream& out) {
    int code = 0;
    for (int nodes : k_messaging_nodes)
        code |= print_row(out, "messaging", nodes, measure("messaging-steady", nodes), false);
    for (int nodes : k_store_nodes)
        code |= print_row(out, "store", nodes, measure("store-steady", nodes), true);
    return code;
}

}  // namespace stormlog::bench
