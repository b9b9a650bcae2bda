#include "reports/coverage.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/assert.hpp"
#include "workloads/registry.hpp"

namespace stormlog::reports {

ProbeRuns probe_runs_for(const scenarios::SuiteScenario& s) {
    ProbeRuns runs;
    const workloads::Workload* w = workloads::find_workload(s.scenario.workload.type);
    SL_ASSERT(w != nullptr);  // resolved scenarios name a registered workload
    for (const sim::Probe* p : w->probes) runs.emplace(std::string(p->name), 0);
    return runs;
}

void count_probe_hits(ProbeRuns& runs, const std::vector<std::pair<std::string, uint64_t>>& hits) {
    for (const auto& [name, count] : hits) {
        SL_ASSERT(count > 0);  // RunResult::probes lists hit probes only
        ++runs[name];
    }
}

std::vector<std::string> coverage_lines(const std::vector<ProbeRuns>& per_scenario, uint64_t runs) {
    ProbeRuns total;
    for (const ProbeRuns& scenario : per_scenario) {
        for (const auto& [name, count] : scenario) total[name] += count;
    }
    if (total.empty()) return {};
    const auto hit = static_cast<size_t>(
        std::count_if(total.begin(), total.end(), [](const auto& e) { return e.second > 0; }));
    size_t width = 0;
    for (const auto& [name, count] : total) width = std::max(width, name.size());
    std::vector<std::string> lines;
    lines.push_back(fmt::format("PROBES hit={} of={} runs={}", hit, total.size(), runs));
    for (const auto& [name, count] : total) {
        lines.push_back(count == 0 ? fmt::format("  {:<{}}  never", name, width)
                                   : fmt::format("  {:<{}}  {} run{}", name, width, count,
                                                 count == 1 ? "" : "s"));
    }
    return lines;
}

std::vector<std::string> missing_probes(const std::vector<scenarios::SuiteScenario>& scenarios,
                                        const std::vector<ProbeRuns>& per_scenario) {
    SL_ASSERT(scenarios.size() == per_scenario.size());
    std::vector<std::string> lines;
    for (size_t i = 0; i < scenarios.size(); ++i) {
        for (const std::string& probe : scenarios[i].scenario.probes) {
            const auto it = per_scenario[i].find(probe);
            if (it != per_scenario[i].end() && it->second > 0) continue;
            lines.push_back(fmt::format("probe never hit: {} (declared by {})", probe,
                                        scenarios[i].scenario.name));
        }
    }
    return lines;
}

}  // namespace stormlog::reports
