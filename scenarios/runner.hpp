#pragma once
// Running scenarios: from a name or a file to a RunResult.

#include <string>
#include <vector>

#include "scenarios/run_result.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/scenario_file.hpp"

namespace stormlog::scenarios {

// A built-in scenario name (see builtin_scenario_names()) or a path to a .json file.
bool resolve_scenario(const std::string& name_or_path, Scenario& out, ScenarioErrors& errors);

// The properties a workload checks (what a scenario's "properties" may name).
const std::vector<std::string>& known_properties(const std::string& workload_type);

// The built-in scenarios (the JSON files of scenarios/, compiled into the binary), sorted by name.
std::vector<Scenario> builtin_scenarios_list();

// Runs `scenario` under `options.seed`. Deterministic: same scenario, seed and build, same result.
// Thread-safe in the sense that different threads may run different simulations at once.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace stormlog::scenarios
