#pragma once
// Test scaffolding: a simulation with one node and helpers to run code in a simulated process.

#include <functional>
#include <string>
#include <vector>

#include "sim/env.hpp"
#include "sim/simulation.hpp"

namespace stormlog::sim::testing {

inline SimulationOptions options(uint64_t seed = 1, bool fuzz = false) {
    SimulationOptions o;
    o.seed = seed;
    o.fuzz_scheduling = fuzz;
    return o;
}

// Starts a process named `name` on a new node named `node_name` running `entry`.
inline Process& start_process(Simulation& sim, const std::string& node_name,
                              const std::string& name, ProcessEntry entry) {
    Node& node = sim.add_node(node_name);
    Process& p = sim.add_process(node, name, std::move(entry));
    sim.start(p);
    return p;
}

inline constexpr Duration ms(int64_t n) {
    return Duration::millis(n);
}
inline constexpr Time at_ms(int64_t n) {
    return Time::zero() + Duration::millis(n);
}

}  // namespace stormlog::sim::testing
