#pragma once
// What a workload declares about itself: its name (as scenario files write it in
// "workload.type"), the properties it checks, the application faults it carries out, whether it
// records a client history and has a leader, and how to run it. The registry
// (workloads/registry.hpp) lists every workload; the scenario parser, the runner and the command
// line consult it, so that no workload or property name is spelled in more than one place.

#include <string_view>
#include <vector>

#include "sim/probe.hpp"
#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"

namespace stormlog::workloads {

struct Workload {
    std::string_view name;
    std::string_view summary;  // one line, for `stormlog list workloads`
    // Every property the workload checks (properties/catalogue.hpp names), in report order. A
    // scenario's "properties" may name a subset; empty there means all of these.
    std::vector<std::string_view> properties;
    // The workload.* keys of a scenario file it reads (besides "type"); the parser refuses others,
    // so that no setting is silently ignored.
    std::vector<std::string_view> settings;
    // The application-category fault kinds (faults/catalogue.hpp) it carries out; a scenario of
    // this workload may schedule no other application fault.
    std::vector<std::string_view> application_faults;
    // RunOptions::keep_history fills RunResult::history (HISTORY_FORMAT.md).
    bool records_history = false;
    // Its system elects a leader: fault targets "leader" and "follower" mean something.
    bool has_leader = false;
    // The most cluster nodes a scenario of it may ask for (scenario files check it).
    int nodes_max = 15;
    // Every sometimes-probe (sim/probe.hpp) its system can reach: the coverage a suite reports.
    std::vector<const sim::Probe*> probes;
    RunResult (*run)(const Scenario& scenario, const RunOptions& options) = nullptr;

    bool checks(std::string_view property) const;
    bool reaches(std::string_view probe) const;
    std::vector<std::string_view> probe_names() const;
    bool carries_out(std::string_view fault_kind) const;
    bool reads(std::string_view setting) const;
};

// The catalogue's own spelling of `property` (properties/catalogue.hpp), which outlives any list
// a checker builds. REQUIRES: the property is catalogued.
std::string_view catalogued(std::string_view property);

}  // namespace stormlog::workloads
