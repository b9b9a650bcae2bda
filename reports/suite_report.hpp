#pragma once
// The suite's report as data: summary.json with the run list and the resilience scorecard
// (docs/report-schema.md); summary.md, junit.xml and index.html are renderings of it.

#include <nlohmann/json.hpp>
#include <string>

#include "scenarios/suite.hpp"
#include "workloads/run_result.hpp"

namespace stormlog::reports {

// Where a run's full report goes inside a suite's report directory ("" for the directory).
std::string suite_run_report_prefix(const std::string& scenario, uint64_t seed);

// One entry of summary.json's "run_list". `report` is the run's report.html relative to the
// suite's directory, or "" when the run has none.
nlohmann::ordered_json run_list_entry(const scenarios::SuiteScenario& s,
                                      const workloads::RunResult& r, double wall_seconds,
                                      const std::string& report);

// The build that ran the suite: shards of one suite must come from one build. "stormlog
// <version> <commit at configure time> <compiler> <build type>".
std::string build_id();

}  // namespace stormlog::reports
