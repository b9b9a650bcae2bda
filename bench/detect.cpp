#include "bench/detect.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "scenarios/runner.hpp"
#include "scenarios/swarm.hpp"
#include "sim/assert.hpp"
#include "workloads/bug_switches.hpp"

namespace stormlog::bench {
namespace {

using workloads::LedgerBugs;
using workloads::StoreBugs;

using Switch = workloads::BugSwitch;

const Switch& find_switch(const std::string& name) {
    const Switch* s = workloads::find_bug_switch(name);
    SL_ASSERT_FATAL(s != nullptr && "detect: an unknown bug switch");
    return *s;
}

workloads::Scenario builtin(const char* name) {
    workloads::Scenario s;
    scenarios::ScenarioErrors errors;
    const bool found = scenarios::resolve_scenario(name, s, errors);
    SL_ASSERT_FATAL(found && "the built-in swarms exist");
    return s;
}

}  // namespace

std::vector<std::string> detect_bug_names() {
    std::vector<std::string> out;
    for (const Switch& s : workloads::bug_switches()) out.emplace_back(s.name);
    return out;
}

Detection detect(const std::string& bug, uint64_t seeds_max) {
    const Switch& sw = find_switch(bug);
    Detection d;
    d.bug = bug;
    d.scenario = sw.store ? "swarm-store+swarm-beyond" : "swarm-ledger";
    // The store's switches run against both store swarms, seed by seed: within the budget
    // (liveness, and the cluster's answers under tolerable faults) and beyond it (safety when a
    // majority is down, cut off or corrupted at once).
    std::vector<workloads::Scenario> bases;
    if (sw.store) {
        bases = {builtin("swarm-store"), builtin("swarm-beyond")};
    } else {
        bases = {builtin("swarm-ledger")};
    }
    StoreBugs store_bugs;
    LedgerBugs ledger_bugs;
    if (sw.store) sw.store(store_bugs);
    if (sw.ledger) sw.ledger(ledger_bugs);
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t seed = 1; seed <= seeds_max && !d.caught; ++seed) {
        for (const workloads::Scenario& base : bases) {
            workloads::RunOptions options;
            options.seed = seed;
            // The seed's own configuration, exactly as `stormlog run <swarm> --seed N` draws it.
            const workloads::Scenario s = scenarios::swarm_draw(base, seed).scenario;
            const workloads::RunResult r = sw.store
                                               ? workloads::run_store(s, options, store_bugs)
                                               : workloads::run_ledger(s, options, ledger_bugs);
            d.seeds = seed;
            if (!r.pass) {
                d.caught = true;
                d.scenario = base.name;
                d.property = r.failures.empty() ? "-" : r.failures.front().property;
                break;
            }
        }
    }
    d.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return d;
}

int run_detect_bench(std::ostream& out, const std::string& filter, uint64_t seeds_max) {
    std::vector<double> walls;
    size_t caught = 0;
    size_t total = 0;
    for (const std::string& bug : detect_bug_names()) {
        if (bug.find(filter) == std::string::npos) continue;
        const Detection d = detect(bug, seeds_max);
        ++total;
        if (d.caught) ++caught;
        walls.push_back(d.wall_s);
        char line[300];
        std::snprintf(line, sizeof line,
                      "DETECT bug=%s scenario=%s caught=%s seeds=%llu wall_s=%.2f property=%s\n",
                      d.bug.c_str(), d.scenario.c_str(), d.caught ? "yes" : "no",
                      static_cast<unsigned long long>(d.seeds), d.wall_s,
                      d.caught ? d.property.c_str() : "-");
        out << line << std::flush;
    }
    std::sort(walls.begin(), walls.end());
    const double median = walls.empty() ? 0
                          : walls.size() % 2 == 1
                              ? walls[walls.size() / 2]
                              : (walls[walls.size() / 2 - 1] + walls[walls.size() / 2]) / 2;
    char line[200];
    std::snprintf(line, sizeof line,
                  "BENCH detect.catch_rate=%.3f caught=%zu of=%zu seeds_max=%llu\n",
                  total ? static_cast<double>(caught) / static_cast<double>(total) : 0.0, caught,
                  total, static_cast<unsigned long long>(seeds_max));
    out << line;
    std::snprintf(line, sizeof line, "BENCH detect.median_wall_s=%.2f\n", median);
    out << line;
    return caught == total ? 0 : 1;
}

}  // namespace stormlog::bench
