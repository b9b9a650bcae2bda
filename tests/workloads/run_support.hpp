#pragma once
// Helpers the workload tests share: built-in scenarios by name, a run described for a failure
// message, and the first failing seed of a run function.

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "scenarios/runner.hpp"
#include "scenarios/scenario_file.hpp"

namespace stormlog::workloads::test_support {

using scenarios::resolve_scenario;
using scenarios::ScenarioErrors;

inline Scenario builtin(const std::string& name) {
    Scenario s;
    ScenarioErrors errors;
    EXPECT_TRUE(resolve_scenario(name, s, errors)) << name;
    return s;
}

inline std::string describe(const RunResult& r) {
    std::string out =
        r.scenario + " seed " + std::to_string(r.seed) + ": " + (r.pass ? "pass" : "FAIL");
    for (const sim::Failure& f : r.failures)
        out += "\n  " + f.property + " on " + f.node + ": " + f.message;
    for (const std::string& line : r.summary) out += "\n  " + line;
    return out;
}

// The first seed in 1..seeds_max whose run fails, with the property it failed.
inline std::optional<std::pair<uint64_t, std::string>> first_failure(
    const std::function<RunResult(uint64_t)>& run, uint64_t seeds_max) {
    for (uint64_t seed = 1; seed <= seeds_max; ++seed) {
        const RunResult r = run(seed);
        if (!r.pass)
            return std::make_pair(seed,
                                  r.failures.empty() ? std::string() : r.failures.front().property);
    }
    return std::nullopt;
}

inline Scenario only(Scenario s, std::vector<std::string> properties) {
    s.properties = std::move(properties);
    return s;
}

}  // namespace stormlog::workloads::test_support
