#pragma once
// Probe coverage of a suite (sim/probe.hpp): per scenario, in how many runs each sometimes-probe
// its workload can reach was hit. A probe never hit is a moment the suite never reached, and so a
// class of bugs it could not have found; `suite --require-probes` turns the probes a scenario
// declares ("probes" in its file) into a requirement.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/suite.hpp"

namespace stormlog::reports {

// Probe name -> runs that hit it, for every probe the scenario's workload can reach (0: never).
using ProbeRuns = std::map<std::string, uint64_t>;

// Every probe of the scenario's workload, none hit yet.
ProbeRuns probe_runs_for(const scenarios::SuiteScenario& s);

// Counts one run's hits (RunResult::probes) into `runs`. A probe the run hit that the workload
// does not list is counted all the same: coverage never hides a hit.
void count_probe_hits(ProbeRuns& runs, const std::vector<std::pair<std::string, uint64_t>>& hits);

// The coverage block a suite prints: "PROBES hit=H of=P runs=R", then one line per probe (over
// every scenario of the suite): its name and the runs that hit it, or "never". Empty when no
// scenario's workload has probes.
std::vector<std::string> coverage_lines(const std::vector<ProbeRuns>& per_scenario, uint64_t runs);

// One line per probe a scenario declares that none of its runs hit:
// "probe never hit: <probe> (declared by <scenario>)".
std::vector<std::string> missing_probes(const std::vector<scenarios::SuiteScenario>& scenarios,
                                        const std::vector<ProbeRuns>& per_scenario);

}  // namespace stormlog::reports
