#pragma once
// Shrinking a failing run: from a seed that fails (a 40 s run with dozens of random faults) to the
// smallest scenario that still fails the same property under the same seed - the few faults and
// the little load a person can read. First the run's nemesis is made explicit (every fault it
// applied, scripted exactly: scenarios/explicit.hpp) and must fail the same way; then, while a
// candidate still fails, faults are dropped (delta debugging, Zeller's ddmin), the survivors
// shortened and narrowed, the run cut to just past the failure, the load and cluster made
// smaller, and the scheduling made FIFO. Every candidate is a whole run under the seed; each
// fault's own draws come from a stream of its own, so dropping one does not shift another.
//
// Deterministic: the same failing run shrinks to the same scenario, whatever the batch size is (a
// batch of candidates may run in parallel, and the first of them in order that fails is taken).
// Only the caller's budget (out_of_time) can cut it short, and then the best so far is the
// result.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "workloads/bug_switches.hpp"
#include "workloads/scenario.hpp"

namespace stormlog::shrink {

// Runs a batch of candidates (each under the seed, with the bug switch if any) and returns their
// results in the same order. The command line runs a batch on `--jobs` threads; unset, the
// shrinker runs them one after another.
using BatchRunner =
    std::function<std::vector<workloads::RunResult>(const std::vector<workloads::Scenario>&)>;

struct ShrinkOptions {
    uint64_t seed = 1;
    bool any_property = false;  // accept any failing property, not only the original's
    const workloads::BugSwitch* bug = nullptr;
    BatchRunner run_batch;
    size_t batch = 1;  // candidates handed to run_batch at once (the command's --jobs)
    // Asked before each batch: true ends the shrinking with the best so far (the wall-time
    // budget lives in the command, outside the deterministic part).
    std::function<bool()> out_of_time;
    // Told of progress, one line at a time ("ddmin: 37 faults -> 12 (runs 19)").
    std::function<void(const std::string&)> progress;
};

struct ShrinkResult {
    // Empty when shrinking ran; else why it could not (the run passes; the explicit schedule
    // does not fail the same way).
    std::string error;
    std::string property;          // the failing property kept
    workloads::Scenario original;  // what the seed ran (a swarm's draw)
    workloads::Scenario shrunk;    // a standalone scenario, "expect": "fail"
    size_t faults_before = 0;      // the faults the run applied
    uint64_t runs = 0;
    bool budget_hit = false;
};

ShrinkResult shrink(const workloads::Scenario& scenario, const ShrinkOptions& options);

// "SHRUNK scenario=... seed=... property=... faults=37->2 duration=40s->6.2s clients=4->1
// runs=83 wall=21.4"
std::string shrunk_line(const ShrinkResult& r, uint64_t seed, double wall_s);

// What a candidate is run as under `options` (the seed, the bug switch).
workloads::RunResult run_candidate(const workloads::Scenario& s, const ShrinkOptions& options);

}  // namespace stormlog::shrink
