#pragma once
// A run's report as data: report.json (schema 1, docs/report-schema.md). Everything a run report
// shows - the verdict and its evidence, the faults with their windows and recovery figures, the
// time series, node, leader and breaker tracks, alerts - comes from this one document; report.md,
// report.html and trace.json are renderings of it. It holds nothing that varies between two runs
// of the same seed (no wall time), so reports of one seed compare equal byte for byte.

#include <nlohmann/json.hpp>
#include <string>

#include "scenarios/scenario_file.hpp"
#include "workloads/run_result.hpp"

namespace stormlog::reports {

// report.json of a run made with RunOptions::record. `argument` is how the scenario was named on
// the command line (a built-in's name or a file path), for the replay command. A run without a
// recording (a workload that records nothing) has empty series, tracks and faults.
nlohmann::ordered_json run_report_json(const scenarios::Scenario& scenario,
                                       const std::string& argument,
                                       const workloads::RunResult& result);

}  // namespace stormlog::reports
