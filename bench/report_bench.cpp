#include "bench/report_bench.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

#include "reports/html.hpp"
#include "reports/run_markdown.hpp"
#include "reports/run_report.hpp"
#include "reports/trace_events.hpp"
#include "scenarios/runner.hpp"

namespace stormlog::bench {
namespace {

constexpr const char* k_scenario = "ledger-nemesis";
constexpr int k_runs = 10;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The hashes of seeds 1..k_runs, and the wall time they took.
double measure(const scenarios::Scenario& s, bool report, std::vector<uint64_t>& hashes) {
    double wall = 0;
    size_t bytes = 0;
    for (int i = 1; i <= k_runs; ++i) {
        scenarios::RunOptions options;
        options.seed = static_cast<uint64_t>(i);
        options.record = report;
        const auto start = std::chrono::steady_clock::now();
        const scenarios::RunResult r = scenarios::run_scenario(s, options);
        if (report) {
            const nlohmann::ordered_json j = reports::run_report_json(s, k_scenario, r);
            bytes += j.dump().size() + reports::run_markdown(j).size() +
                     reports::run_report_html(j).size() + reports::trace_events(j).dump().size();
        }
        wall += seconds_since(start);
        hashes.push_back(r.hash);
    }
    if (report && bytes == 0) return -1;  // nothing rendered: not a measurement
    return wall;
}

}  // namespace

int run_report_bench(std::ostream& out) {
    scenarios::Scenario s;
    scenarios::ScenarioErrors errors;
    if (!scenarios::resolve_scenario(k_scenario, s, errors)) return 1;
    std::vector<uint64_t> warm, plain_hashes, report_hashes;
    (void)measure(s, true, warm);  // page in the binary and the allocator's arenas
    const double plain = measure(s, false, plain_hashes);
    const double with = measure(s, true, report_hashes);
    const bool same = plain_hashes == report_hashes && with > 0;
    char line[220];
    std::snprintf(line, sizeof line,
                  "BENCH report.overhead runs=%d plain_s=%.3f report_s=%.3f overhead=%.1f%%%s\n",
                  k_runs, plain, with, plain > 0 ? (with / plain - 1) * 100 : 0.0,
                  same ? "" : " FAILED: a report changed a run");
    out << line;
    return same ? 0 : 1;
}

}  // namespace stormlog::bench
