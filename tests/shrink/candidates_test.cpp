// The shrinker's moves (shrink/candidates.hpp): each candidate is smaller in the one way it claims
// and still a valid scenario file.

#include "shrink/candidates.hpp"

#include <gtest/gtest.h>

#include "scenarios/scenario_file.hpp"
#include "scenarios/scenario_writer.hpp"

namespace stormlog::shrink {
namespace {

using sim::Duration;

Scenario from(const std::string& faults) {
    const std::string text = R"({"name": "t", "description": "d", "duration": "30s",
        "cluster": {"nodes": 5}, "workload": {"type": "store", "clients": 4},
        "faults": [)" + faults +
                             "]}";
    Scenario s;
    scenarios::ScenarioErrors errors;
    EXPECT_TRUE(scenarios::parse_scenario(text, "t.json", s, errors))
        << (errors.lines.empty() ? "" : errors.lines.front());
    return s;
}

bool valid(const Scenario& s) {
    Scenario out;
    scenarios::ScenarioErrors errors;
    return scenarios::parse_scenario(scenarios::scenario_json(s), "c.json", out, errors);
}

TEST(ShrinkCandidates, NarrowingsDropOneTargetOrTheClientsOrOneSideMember) {
    const Scenario s = from(R"({"kind": "crash", "at": "1s", "for": "1s", "target": ["n1", "n2"]},
        {"kind": "partition", "at": "3s", "for": "1s", "sides": [["n1", "n2", "c1"], ["n3", "n4", "n5"]]})");
    const auto targets = narrowings(s, 0);
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_EQ(targets[0].faults[0].target.nodes, std::vector<int>{1});
    EXPECT_EQ(targets[1].faults[0].target.nodes, std::vector<int>{0});
    const auto sides = narrowings(s, 1);
    ASSERT_FALSE(sides.empty());
    EXPECT_EQ(sides[0].faults[1].sides[0], (std::vector<std::string>{"n1", "n2"}));
    for (const Scenario& c : targets) EXPECT_TRUE(valid(c));
    for (const Scenario& c : sides) EXPECT_TRUE(valid(c));
}

TEST(ShrinkCandidates, ShorteningsHalveTheFaultShortestFirst) {
    const Scenario s = from(R"({"kind": "crash", "at": "1s", "for": "8ms", "target": "n1"})");
    const auto c = shortenings(s, 0);
    ASSERT_EQ(c.size(), 3u);  // 1ms, 2ms, 4ms
    EXPECT_EQ(c[0].faults[0].duration, Duration::millis(1));
    EXPECT_EQ(c[2].faults[0].duration, Duration::millis(4));
}

TEST(ShrinkCandidates, ShorterRunsStayPastTheFaultsAndKeepAValidQuietPeriod) {
    const Scenario s = from(R"({"kind": "crash", "at": "2s", "for": "1s", "target": "n1"})");
    const auto c = shorter_runs(s, faults_end(s));
    ASSERT_FALSE(c.empty());
    EXPECT_EQ(c.front().duration, Duration::seconds(3));
    for (const Scenario& x : c) {
        EXPECT_LT(x.duration, s.duration);
        EXPECT_TRUE(valid(x)) << scenarios::scenario_json(x);
    }
}

TEST(ShrinkCandidates, FewerNodesDropTheFaultsOnlyTheDroppedNodesHad) {
    const Scenario s = from(R"({"kind": "crash", "at": "1s", "for": "1s", "target": ["n5"]},
        {"kind": "crash", "at": "3s", "for": "1s", "target": ["n1", "n4"]},
        {"kind": "partition", "at": "5s", "for": "1s", "sides": [["n1"], ["n4", "n5"]]})");
    const auto groups = smaller_setups(s);
    bool found = false;
    for (const auto& g : groups) {
        for (const Scenario& c : g) {
            if (c.cluster.nodes != 3) continue;
            found = true;
            ASSERT_EQ(c.faults.size(), 1u);  // the partition lost a side, the first crash its node
            EXPECT_EQ(c.faults[0].target.nodes, std::vector<int>{0});
            EXPECT_TRUE(valid(c));
        }
    }
    EXPECT_TRUE(found);
}

TEST(ShrinkCandidates, RoundingsMakeTimesReadable) {
    const Scenario s =
        from(R"({"kind": "crash", "at": "1234567891ns", "for": "3ms", "target": "n1"})");
    const auto c = roundings(s);
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].faults[0].at, Duration::millis(1200));
    EXPECT_EQ(c[0].faults[0].duration, Duration::millis(100));
    EXPECT_EQ(c[2].faults[0].at, Duration::millis(1235));
}

}  // namespace
}  // namespace stormlog::shrink
