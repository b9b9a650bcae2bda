#pragma once
// The JSON a run and a suite write (see the README's "Running suites"): one file per run, and
// summary.json per suite. Key order is fixed; only `wall` (and the recorded `jobs`) vary between
// two runs of the same command, so results diff cleanly.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/coverage.hpp"
#include "scenarios/seeds.hpp"
#include "scenarios/suite.hpp"
#include "workloads/run_result.hpp"

namespace stormlog::reports {

using scenarios::SuiteScenario;
using workloads::RunResult;

// The JSON of one run.
nlohmann::ordered_json run_json(const RunResult& result, bool expected_pass, double wall_seconds);

// What summary.json records about the command line.
struct SuiteArgs {
    std::vector<std::string> scenarios;  // as given
    scenarios::SeedRange seeds;
    scenarios::Shard shard;
    int jobs = 1;  // as given (0: the number of hardware threads)
};

// One failed run, as summary.json lists it.
struct SuiteFailure {
    const SuiteScenario* scenario = nullptr;
    const RunResult* result = nullptr;
};

// The counts of one scenario within this shard.
struct ScenarioCounts {
    uint64_t runs = 0;
    uint64_t failed = 0;
    ProbeRuns probes;  // runs that hit each probe of the workload (reports/coverage.hpp)
};

// summary.json: the args, the counts (total and per scenario, in suite order), and every failure
// with the command that replays it. `counts` runs parallel to `scenarios`.
nlohmann::ordered_json summary_json(const SuiteArgs& args,
                                    const std::vector<SuiteScenario>& scenarios,
                                    const std::vector<ScenarioCounts>& counts,
                                    const std::vector<SuiteFailure>& failures, double wall_seconds);

// A JSON document as a file holds it: indented, a newline at the end; invalid UTF-8 in evidence
// (a corrupted payload, say) is replaced rather than thrown on.
std::string json_file_text(const nlohmann::ordered_json& j);

// Where run_json goes under an --out directory: <dir>/<scenario>/seed-<n>.json.
std::string run_json_path(const std::string& out_dir, const std::string& scenario, uint64_t seed);

}  // namespace stormlog::reports
