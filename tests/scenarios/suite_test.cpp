// Suites: scenario arguments resolve (directories in file-name order, every bad argument reported,
// no name twice); a run fails when its verdict differs from the expected one; the replay command
// can be pasted into a shell.

#include "scenarios/suite.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/files.hpp"
#include "tests/support/run_results.hpp"

namespace stormlog::scenarios {
namespace {

using test_support::fresh_dir;
using test_support::write_text;
namespace fs = std::filesystem;

std::string scenario_text(const std::string& name) {
    return R"({"name": ")" + name + R"(", "description": "d", "duration": "10s"})";
}

using test_support::failed_result;

// ---- verdicts and replay ----

TEST(SuiteVerdict, FailedMeansVerdictDiffersFromExpect) {
    RunResult r;
    r.pass = true;
    EXPECT_FALSE(run_failed(r, true));
    EXPECT_TRUE(run_failed(r, false));
    r.pass = false;
    EXPECT_TRUE(run_failed(r, true));
    EXPECT_FALSE(run_failed(r, false));
}

TEST(SuiteVerdict, HeadlineIsTheFirstFailure) {
    const sim::Failure f = headline_failure(failed_result(), true);
    EXPECT_EQ(f.property, "journal.durable");
    EXPECT_EQ(f.node, "n2");
    EXPECT_EQ(f.at.seconds_f(), 1.5);
}

TEST(SuiteVerdict, UnexpectedPassIsReportedAtTheRunsEnd) {
    RunResult r;
    r.pass = true;
    r.sim_time = sim::Time::zero() + sim::Duration::seconds(10);
    const sim::Failure f = headline_failure(r, false);
    EXPECT_EQ(f.property, "expected fail, got pass");
    EXPECT_EQ(f.node, "-");
    EXPECT_EQ(f.at.seconds_f(), 10.0);
}

TEST(SuiteReplay, PlainArgumentsAreLeftAlone) {
    EXPECT_EQ(replay_command("kernel-smoke", 3), "stormlog run kernel-smoke --seed 3");
    EXPECT_EQ(replay_command("kernel-smoke", 3, "build/stormlog"),
              "build/stormlog run kernel-smoke --seed 3");
    EXPECT_EQ(replay_command("kernel-smoke", 3, "/opt/my tools/stormlog"),
              "'/opt/my tools/stormlog' run kernel-smoke --seed 3");
    EXPECT_EQ(replay_command("scenarios/kernel-smoke.json", 18446744073709551615u),
              "stormlog run scenarios/kernel-smoke.json --seed 18446744073709551615");
}

TEST(SuiteReplay, ArgumentsAreQuotedForTheShell) {
    EXPECT_EQ(replay_command("my dir/a b.json", 1), "stormlog run 'my dir/a b.json' --seed 1");
    EXPECT_EQ(replay_command("it's.json", 1), "stormlog run 'it'\\''s.json' --seed 1");
    EXPECT_EQ(replay_command("$HOME/x.json", 1), "stormlog run '$HOME/x.json' --seed 1");
}

// ---- resolving scenarios ----

TEST(SuiteResolve, DirectoryGivesItsJsonFilesSortedByName) {
    const fs::path dir = fresh_dir();
    write_text(dir / "b.json", scenario_text("bravo"));
    write_text(dir / "a.json", scenario_text("alpha"));
    write_text(dir / "notes.txt", "not a scenario");
    fs::create_directories(dir / "nested");
    write_text(dir / "nested" / "c.json", scenario_text("charlie"));  // only files directly in it
    std::vector<SuiteScenario> list;
    ScenarioErrors errors;
    ASSERT_TRUE(resolve_suite_scenarios({dir.string(), "kernel-smoke"}, list, errors))
        << errors.lines[0];
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].scenario.name, "alpha");
    EXPECT_EQ(list[0].argument, (dir / "a.json").string());
    EXPECT_EQ(list[1].scenario.name, "bravo");
    EXPECT_EQ(list[2].scenario.name, "kernel-smoke");
    EXPECT_EQ(list[2].argument, "kernel-smoke");
    fs::remove_all(dir);
}

TEST(SuiteResolve, EveryBadArgumentIsReported) {
    const fs::path dir = fresh_dir();
    std::vector<SuiteScenario> list;
    ScenarioErrors errors;
    EXPECT_FALSE(
        resolve_suite_scenarios({"no-such-scenario", dir.string(), "kernel-smoke"}, list, errors));
    ASSERT_EQ(errors.lines.size(), 2u);
    EXPECT_EQ(errors.lines[0],
              "no scenario named \"no-such-scenario\" (see: stormlog list scenarios; a file path "
              "must end in .json)");
    EXPECT_EQ(errors.lines[1], dir.string() + ": no scenario files (*.json) in this directory");
    EXPECT_TRUE(list.empty());
    fs::remove_all(dir);
}

TEST(SuiteResolve, SameNameTwiceIsAnError) {
    const fs::path dir = fresh_dir();
    const std::string file = (dir / "again.json").string();
    write_text(file, scenario_text("kernel-smoke"));
    std::vector<SuiteScenario> list;
    ScenarioErrors errors;
    EXPECT_FALSE(resolve_suite_scenarios({"kernel-smoke", file}, list, errors));
    ASSERT_EQ(errors.lines.size(), 1u);
    EXPECT_EQ(errors.lines[0], "scenario \"kernel-smoke\" is given twice (kernel-smoke and " +
                                   file + "); a suite runs each scenario once");
    fs::remove_all(dir);
}

}  // namespace
}  // namespace stormlog::scenarios
