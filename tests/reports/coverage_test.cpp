// Probe coverage of a suite: every probe of a scenario's workload is listed (hit or never), runs
// are counted per scenario, and a declared probe no run hit is named.

#include "reports/coverage.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stormlog::reports {
namespace {

using scenarios::SuiteScenario;

TEST(Coverage, EveryProbeIsListedWithTheRunsThatHitIt) {
    ProbeRuns a{{"raft.truncated", 0}, {"raft.voted", 0}};
    count_probe_hits(a, {{"raft.voted", 5}});
    count_probe_hits(a, {{"raft.voted", 1}, {"store.extra", 2}});
    ProbeRuns b{{"raft.voted", 0}};
    count_probe_hits(b, {{"raft.voted", 9}});
    const std::vector<std::string> lines = coverage_lines({a, b}, 3);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "PROBES hit=2 of=3 runs=3");
    EXPECT_EQ(lines[1], "  raft.truncated  never");
    EXPECT_EQ(lines[2], "  raft.voted      3 runs") << "runs that hit it, not hits";
    EXPECT_EQ(lines[3], "  store.extra     1 run") << "a hit is never hidden";
}

TEST(Coverage, NoProbesNoBlock) {
    EXPECT_TRUE(coverage_lines({ProbeRuns{}, ProbeRuns{}}, 10).empty());
}

TEST(Coverage, DeclaredProbesNoRunHitAreNamed) {
    std::vector<SuiteScenario> scenarios(2);
    scenarios[0].scenario.name = "storm";
    scenarios[0].scenario.probes = {"raft.truncated", "raft.voted"};
    scenarios[1].scenario.name = "calm";
    scenarios[1].scenario.probes = {"raft.truncated"};
    const std::vector<ProbeRuns> runs = {{{"raft.truncated", 0}, {"raft.voted", 4}},
                                         {{"raft.truncated", 1}}};
    const std::vector<std::string> missing = missing_probes(scenarios, runs);
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0], "probe never hit: raft.truncated (declared by storm)");
    scenarios[0].scenario.probes = {"raft.voted"};
    EXPECT_TRUE(missing_probes(scenarios, runs).empty());
}

}  // namespace
}  // namespace stormlog::reports
