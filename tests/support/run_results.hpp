#pragma once
// A failed run's result, as the suite and report tests use it.

#include "workloads/run_result.hpp"

namespace stormlog::test_support {

// Scenario "storm", seed 7, failing journal.durable at 1.5 s on n2.
inline workloads::RunResult failed_result() {
    workloads::RunResult r;
    r.scenario = "storm";
    r.seed = 7;
    r.pass = false;
    r.hash = 0xab;
    r.sim_time = sim::Time::zero() + sim::Duration::millis(2500);
    r.events = 42;
    r.failures.push_back({"journal.durable", sim::Time::zero() + sim::Duration::millis(1500), "n2",
                          "record 9 lost"});
    r.summary = {"faults: applied=1"};
    return r;
}

}  // namespace stormlog::test_support
