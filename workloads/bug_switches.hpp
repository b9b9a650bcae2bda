#pragma once
// The deliberate-bug switches: each turns on one realistic bug in the system under test (Raft's,
// the event store's, the ledger system's, the breakers', the queue's, the projections'). They
// exist to test the testbed - `stormlog bench detect` measures how fast the swarms catch each,
// `stormlog run/shrink --bug NAME` runs a scenario with one on - and are never on otherwise.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/ledger/workload.hpp"
#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"
#include "workloads/store/workload.hpp"

namespace stormlog::workloads {

// A switch: its name, and what it turns on (in the store's bugs or the ledger system's).
struct BugSwitch {
    const char* name;
    std::function<void(StoreBugs&)> store;    // set for the store's switches
    std::function<void(LedgerBugs&)> ledger;  // set for the ledger system's
};

// Every switch, by name ("raft.commit_by_counting", "ledger.queue_drop_when_full").
const std::vector<BugSwitch>& bug_switches();
// nullptr if there is no such switch.
const BugSwitch* find_bug_switch(std::string_view name);
// Why `bug` cannot run on workload `type` ("" if it can): the store's switches run on the store
// and the ledger (which deploys the store), the ledger's on the ledger.
std::string bug_problem(const BugSwitch& bug, const std::string& type);
// Runs `scenario` (a drawn one: no swarm) with `bug` on. REQUIRES: bug_problem(...) is "".
RunResult run_with_bug(const Scenario& scenario, const RunOptions& options, const BugSwitch& bug);

}  // namespace stormlog::workloads
