#include "scenarios/runner.hpp"

#include <algorithm>
#include <cstdio>

#include "scenarios/builtin_files.hpp"
#include "scenarios/swarm.hpp"
#include "sim/assert.hpp"
#include "sim/text.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

bool looks_like_path(const std::string& s) {
    return s.find('/') != std::string::npos ||
           (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0);
}

Scenario parse_builtin(const BuiltinFile& f) {
    Scenario s;
    ScenarioErrors errors;
    const bool valid = parse_scenario(f.text, "scenarios/builtin/" + f.file_name, s, errors);
    // A built-in file that does not validate is a bug of this build, caught by ctest.
    for (const std::string& line : errors.lines) std::fprintf(stderr, "%s\n", line.c_str());
    SL_ASSERT(valid && "every built-in scenario validates");
    return s;
}

}  // namespace

std::vector<Scenario> builtin_scenarios_list() {
    std::vector<Scenario> list;
    for (const BuiltinFile& f : builtin_files()) list.push_back(parse_builtin(f));
    std::sort(list.begin(), list.end(),
              [](const Scenario& a, const Scenario& b) { return a.name < b.name; });
    return list;
}

bool resolve_scenario(const std::string& name_or_path, Scenario& out, ScenarioErrors& errors) {
    if (looks_like_path(name_or_path)) return load_scenario_file(name_or_path, out, errors);
    for (const BuiltinFile& f : builtin_files()) {
        if (f.file_name == name_or_path + ".json") {
            out = parse_builtin(f);
            return true;
        }
    }
    std::vector<std::string> names;
    for (const BuiltinFile& f : builtin_files())
        names.push_back(f.file_name.substr(0, f.file_name.size() - 5));
    const std::vector<std::string_view> views(names.begin(), names.end());
    errors.lines.push_back("no scenario named \"" + name_or_path + "\"" +
                           sim::did_you_mean(name_or_path, views) +
                           " (see: stormlog list scenarios; a file path must end in .json)");
    return false;
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& given,
                       const workloads::BugSwitch* bug) {
    const workloads::Workload* w = workloads::find_workload(scenario.workload.type);
    SL_ASSERT(w != nullptr && "scenario validation checks the workload's name");
    RunOptions options = given;
    if (scenario.fifo_scheduling) options.fuzz_scheduling = false;
    auto run = [&](const Scenario& s) {
        return bug ? workloads::run_with_bug(s, options, *bug) : w->run(s, options);
    };
    RunResult r;
    if (scenario.swarm) {
        const SwarmDraw draw = swarm_draw(scenario, options.seed);
        r = run(draw.scenario);
        r.summary.insert(r.summary.begin(), draw.line);
    } else {
        r = run(scenario);
    }
    r.scenario = scenario.name;
    if (!w->probes.empty()) {
        // How much of what this system can reach the run reached (sim/probe.hpp); which ones:
        // the run's JSON, or a suite's coverage block.
        r.summary.push_back("probes: hit " + std::to_string(r.probes.size()) + " of " +
                            std::to_string(w->probes.size()));
    }
    return r;
}

}  // namespace stormlog::scenarios
