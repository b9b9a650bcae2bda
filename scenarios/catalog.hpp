#pragma once
// The built-in scenarios, by name.

#include <functional>
#include <string>
#include <vector>

#include "scenarios/run_result.hpp"

namespace stormlog::scenarios {

struct ScenarioInfo {
    std::string name;
    std::string description;
    std::function<RunResult(const RunOptions&)> run;
};

const std::vector<ScenarioInfo>& builtin_scenarios();
// nullptr when there is no built-in scenario of that name.
const ScenarioInfo* find_scenario(const std::string& name);

}  // namespace stormlog::scenarios
