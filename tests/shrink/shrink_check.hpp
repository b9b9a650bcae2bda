#pragma once
// The check every shrink test makes of one deliberate-bug switch: find the first seed of a
// nemesis scenario that the bug fails, shrink it, and hold the result to the bar - it
// fails the same property, keeps at most 20% of the run's faults (or at most 3), replays as a
// file, and shrinking the same run again gives the same file.

#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.hpp"
#include "scenarios/scenario_file.hpp"
#include "scenarios/scenario_writer.hpp"
#include "shrink/shrinker.hpp"

namespace stormlog::shrink::test_support {

inline workloads::Scenario builtin(const std::string& name) {
    workloads::Scenario s;
    scenarios::ScenarioErrors errors;
    EXPECT_TRUE(scenarios::resolve_scenario(name, s, errors));
    return s;
}

// The first seed in 1..seeds_max that `bug` fails on `scenario`; 0 if none.
inline uint64_t first_failing_seed(const workloads::Scenario& s, const workloads::BugSwitch& bug,
                                   uint64_t seeds_max) {
    for (uint64_t seed = 1; seed <= seeds_max; ++seed) {
        workloads::RunOptions o;
        o.seed = seed;
        if (!scenarios::run_scenario(s, o, &bug).pass) return seed;
    }
    return 0;
}

inline void check_shrinks(const std::string& bug_name, const std::string& scenario_name,
                          uint64_t seeds_max = 12) {
    const workloads::BugSwitch* bug = workloads::find_bug_switch(bug_name);
    ASSERT_NE(bug, nullptr) << bug_name;
    const workloads::Scenario s = builtin(scenario_name);
    ShrinkOptions options;
    options.bug = bug;
    options.seed = first_failing_seed(s, *bug, seeds_max);
    ASSERT_NE(options.seed, 0u) << bug_name << " fails no seed of " << scenario_name;
    const ShrinkResult r = shrink(s, options);
    ASSERT_EQ(r.error, "");
    const size_t allowed = std::max<size_t>(3, r.faults_before / 5);
    EXPECT_LE(r.shrunk.faults.size(), allowed) << shrunk_line(r, options.seed, 0);
    EXPECT_LE(r.shrunk.duration, r.original.duration);
    // The file, read back, fails the same property under the seed.
    const std::string text = scenarios::scenario_json(r.shrunk);
    workloads::Scenario replay;
    scenarios::ScenarioErrors errors;
    ASSERT_TRUE(scenarios::parse_scenario(text, "repro.json", replay, errors))
        << (errors.lines.empty() ? "" : errors.lines.front());
    EXPECT_FALSE(replay.expect_pass);
    const workloads::RunResult rerun = run_candidate(replay, options);
    ASSERT_FALSE(rerun.pass);
    bool same = false;
    for (const sim::Failure& f : rerun.failures) same = same || f.property == r.property;
    EXPECT_TRUE(same) << "the shrunk file fails, but not " << r.property;
    // Deterministic: the same failing run shrinks to the same file.
    const ShrinkResult again = shrink(s, options);
    EXPECT_EQ(scenarios::scenario_json(again.shrunk), text);
    std::printf("%s\n", shrunk_line(r, options.seed, 0).c_str());
}

}  // namespace stormlog::shrink::test_support
