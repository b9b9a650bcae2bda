#pragma once
// Suites: many scenarios under many seeds. This file holds the pure part of `stormlog suite`:
// resolving the scenario arguments, what counts as a failed run, and the command that replays
// one. It has no threads, clocks or randomness (the determinism rules keep those in cli/): the
// thread pool, progress bar and wall times live in cli/cmd_suite.cpp. Seeds and shards are in
// scenarios/seeds.hpp; the JSON a suite writes is reports/'.

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario_file.hpp"
#include "scenarios/seeds.hpp"
#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"

namespace stormlog::scenarios {

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
bool resolve_suite_scenarios(const std::vector<std::string>& arguments,
                             std::vector<SuiteScenario>& out, ScenarioErrors& errors);

// A run fails when its verdict differs from the scenario's expected one.
bool run_failed(const RunResult& result, bool expected_pass);

// What a failed run is reported under: its first failure, or, when it has none to point at (it
// passed but the scenario expects a failure), property "expected fail, got pass" at the run's end
// on node "-".
sim::Failure headline_failure(const RunResult& result, bool expected_pass);

// `<program> run <argument> --seed <seed>`, each word quoted for a POSIX shell if needed, so that
// it works when pasted. `program`: the command as the user ran it (argv[0], say "build/stormlog");
// result files record the plain "stormlog", which reads the same on every machine.
std::string replay_command(const std::string& argument, uint64_t seed,
                           const std::string& program = "stormlog");

}  // namespace stormlog::scenarios
