#pragma once
// Running scenarios: from a name or a file to a RunResult, through the workload registry.

#include <string>
#include <vector>

#include "scenarios/scenario_file.hpp"
#include "workloads/bug_switches.hpp"

namespace stormlog::scenarios {

// A built-in scenario name (see builtin_scenarios_list()) or a path to a .json file.
bool resolve_scenario(const std::string& name_or_path, Scenario& out, ScenarioErrors& errors);

// The built-in scenarios (the JSON files of scenarios/builtin/, compiled into the binary), sorted
// by name.
std::vector<Scenario> builtin_scenarios_list();

// Runs `scenario` (validated: its workload is in the registry) under `options.seed`.
// Deterministic: same scenario, seed and build, same result. Different threads may run different
// simulations at once. `bug`: a deliberate-bug switch to turn on (testing the testbed;
// REQUIRES workloads::bug_problem(*bug, workload) to be "").
RunResult run_scenario(const Scenario& scenario, const RunOptions& options,
                       const workloads::BugSwitch* bug = nullptr);

}  // namespace stormlog::scenarios
