#pragma once
// What one run of a scenario under one seed produced: the verdict, the trace hash, and the
// failures (property, time, node, evidence) when it failed.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "faults/schedule.hpp"
#include "sim/simulation.hpp"

namespace stormlog::workloads {

struct RunOptions {
    uint64_t seed = 1;
    int log_level = 6;  // spdlog::level::off
    bool fuzz_scheduling = true;
    bool keep_history = false;  // fill RunResult::history (workloads with clients)
    bool record = false;        // fill RunResult::recording (a run's report)
    // Hand every trace record to this sink as the run goes (an event log); not owned. It only
    // observes: the run and its hash are the same with and without.
    sim::TraceSink* trace_sink = nullptr;
};

// The kernel's options for a run with these options.
inline sim::SimulationOptions simulation_options(const RunOptions& options) {
    sim::SimulationOptions o;
    o.seed = options.seed;
    o.fuzz_scheduling = options.fuzz_scheduling;
    o.log_level = options.log_level;
    o.trace_sink = options.trace_sink;
    return o;
}

struct RunRecording;  // workloads/run_recording.hpp

struct RunResult {
    std::string scenario;
    uint64_t seed = 0;
    bool pass = false;
    uint64_t hash = 0;
    sim::Time sim_time;
    uint64_t events = 0;
    std::vector<sim::Failure> failures;
    // A few human-readable lines about the run, printed before the RESULT line.
    std::vector<std::string> summary;
    // The clients' history as JSON lines (HISTORY_FORMAT.md), if RunOptions::keep_history.
    std::string history;
    // The sometimes-probes the run hit, with their hit counts, sorted by name.
    std::vector<std::pair<std::string, uint64_t>> probes;
    // Every fault the run applied, made explicit (workloads/cluster.hpp, explicit_faults): the
    // scripted schedule that replays this run's faults with no draw (`--dump-scenario`).
    std::vector<faults::FaultSpec> explicit_faults;
    // The run's recording for its report, if RunOptions::record.
    std::shared_ptr<const RunRecording> recording;
};

}  // namespace stormlog::workloads
