#include "scenarios/explicit.hpp"

#include <string>

#include "scenarios/swarm.hpp"

namespace stormlog::scenarios {

workloads::Scenario as_run(const workloads::Scenario& s, uint64_t seed) {
    return s.swarm ? swarm_draw(s, seed).scenario : s;
}

workloads::Scenario explicit_scenario(const workloads::Scenario& ran, uint64_t seed,
                                      const workloads::RunResult& result) {
    workloads::Scenario s = as_run(ran, seed);
    s.swarm = false;
    s.nemesis = faults::NemesisSpec{};
    s.faults = result.explicit_faults;
    constexpr size_t k_name_max = 64;
    const std::string suffix = "-explicit";
    s.name = s.name.substr(0, k_name_max - suffix.size()) + suffix;
    s.description = ran.name + " under seed " + std::to_string(seed) +
                    ", every fault it applied scripted as it happened (stormlog run "
                    "--dump-scenario): " +
                    std::to_string(s.faults.size()) + " faults";
    return s;
}

}  // namespace stormlog::scenarios
