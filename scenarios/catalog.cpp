#include "scenarios/catalog.hpp"

#include "scenarios/kernel_smoke.hpp"

namespace stormlog::scenarios {

const std::vector<ScenarioInfo>& builtin_scenarios() {
    static const std::vector<ScenarioInfo> catalog = {
        {"kernel-smoke",
         "4 nodes exchange messages and requests through channels under seeded delays; one node "
         "crashes and restarts midway, another pauses and resumes",
         run_kernel_smoke},
    };
    return catalog;
}

const ScenarioInfo* find_scenario(const std::string& name) {
    for (const ScenarioInfo& s : builtin_scenarios()) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

}  // namespace stormlog::scenarios
