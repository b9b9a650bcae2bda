#pragma once
// Suites: many scenarios under many seeds. This file holds the pure part of `stormlog suite` —
// parsing --seeds and --shard, resolving the scenario arguments, laying out the run list, and
// turning results into JSON. It has no threads, clocks or randomness (the determinism rules keep
// those in cli/): the thread pool, progress bar and wall times live in cli/cmd_suite.cpp, and
// reach this file only as plain numbers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/run_result.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/scenario_file.hpp"

namespace stormlog::scenarios {

// Bounds on one suite, so that a typo like `--seeds 1..1000000000000` is an error, not an
// out-of-memory kill an hour later.
constexpr uint64_t k_suite_seeds_max = 10'000'000;
constexpr uint64_t k_suite_runs_max = 10'000'000;  // runs one process holds (after --shard)

// Seeds first..last, inclusive.
struct SeedRange {
    uint64_t first = 1;
    uint64_t last = 1;
    uint64_t count() const { return last - first + 1; }
};

// Parses --seeds: "N" means 1..N (N >= 1), "A..B" means A..B inclusive (A <= B). On failure
// returns false and sets `error` to one line starting with "--seeds: ".
bool parse_seed_range(const std::string& text, SeedRange& out, std::string& error);

// Shard K of M (1-based): keeps the runs whose 0-based index i in the run list has i % M == K-1.
struct Shard {
    uint64_t index = 1;
    uint64_t count = 1;
};

// Parses --shard "K/M" with 1 <= K <= M. On failure returns false and sets `error` to one line
// starting with "--shard: ".
bool parse_shard(const std::string& text, Shard& out, std::string& error);

// One scenario of a suite and the argument that replays it with `stormlog run`: the built-in name
// or file path as the user gave it, or, for a scenario found in a directory, its file's path.
struct SuiteScenario {
    Scenario scenario;
    std::string argument;
};

// Resolves each argument: a built-in name, a .json file, or a directory (every *.json directly in
// it, sorted by file name). Every argument is resolved even after an error, so that the user sees
// all problems at once. Returns false, with one line per problem in `errors`, if any argument is
// bad, a directory holds no scenario file, or two scenarios share a name (results are keyed by
// name, so a duplicate would overwrite the other's files).
bool resolve_suite_scenarios(const std::vector<std::string>& arguments, std::vector<SuiteScenario>& out,
                             ScenarioErrors& errors);

// One run of the suite. `index` is its place in the full run list (scenario-major, then seed
// ascending) — the same on every machine, whatever the shard.
struct SuiteRun {
    uint64_t index = 0;
    size_t scenario = 0;  // into the list resolve_suite_scenarios produced
    uint64_t seed = 0;
};

// The runs of `shard` out of the full list of scenario_count × seeds runs, in run-list order.
// REQUIRES: seeds.count() <= k_suite_seeds_max and scenario_count * seeds.count() fits in 64 bits
// (parse_seed_range guarantees the first; check_run_count the rest).
std::vector<SuiteRun> expand_runs(size_t scenario_count, const SeedRange& seeds, const Shard& shard);

// How many runs this shard holds; false with a one-line `error` above k_suite_runs_max.
bool check_run_count(size_t scenario_count, const SeedRange& seeds, const Shard& shard, std::string& error);

// A run fails when its verdict differs from the scenario's expected one.
bool run_failed(const RunResult& result, bool expected_pass);

// What a failed run is reported under: its first failure, or, when it has none to point at (it
// passed but the scenario expects a failure), property "expected fail, got pass" at the run's end
// on node "-".
sim::Failure headline_failure(const RunResult& result, bool expected_pass);

// `stormlog run <argument> --seed <seed>`, with the argument quoted for a POSIX shell if needed,
// so that it works when pasted.
std::string replay_command(const std::string& argument, uint64_t seed);

// The JSON of one run (see the README's "Running suites"). Key order is fixed; only `wall` varies
// between two runs of the same command.
nlohmann::ordered_json run_json(const RunResult& result, bool expected_pass, double wall_seconds);

// What summary.json records about the command line.
struct SuiteArgs {
    std::vector<std::string> scenarios;  // as given
    SeedRange seeds;
    Shard shard;
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
};

// summary.json: the args, the counts (total and per scenario, in suite order), and every failure
// with the command that replays it. `counts` runs parallel to `scenarios`.
nlohmann::ordered_json summary_json(const SuiteArgs& args, const std::vector<SuiteScenario>& scenarios,
                                    const std::vector<ScenarioCounts>& counts,
                                    const std::vector<SuiteFailure>& failures, double wall_seconds);

// Where run_json goes under an --out directory: <dir>/<scenario>/seed-<n>.json.
std::string run_json_path(const std::string& out_dir, const std::string& scenario, uint64_t seed);

// Writes `text` to `path` atomically: to "<path>.tmp" first, then renames it over `path`, so a
// reader (or a killed suite) never sees half a file. Creates missing parent directories. On
// failure returns false and sets `error` to one line naming the file.
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace stormlog::scenarios
