// Swarm testing: each seed draws its own configuration from the scenario - deterministically, on
// its own random stream, within the bounds the file format allows - and a run says which.

#include "scenarios/swarm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "scenarios/runner.hpp"
#include "tests/scenarios/scenario_test_support.hpp"

namespace stormlog::scenarios {
namespace {

using test_support::errors_of;
using test_support::minimal;

Scenario builtin(const std::string& name) {
    Scenario s;
    ScenarioErrors e;
    EXPECT_TRUE(resolve_scenario(name, s, e)) << name;
    return s;
}

TEST(Swarm, TheSameSeedDrawsTheSameConfiguration) {
    const Scenario base = builtin("swarm-store");
    for (uint64_t seed : {1u, 2u, 77u}) {
        const SwarmDraw a = swarm_draw(base, seed);
        const SwarmDraw b = swarm_draw(base, seed);
        EXPECT_EQ(a.line, b.line);
        EXPECT_EQ(a.scenario.nemesis.kinds, b.scenario.nemesis.kinds);
        EXPECT_EQ(a.scenario.cluster.heartbeat, b.scenario.cluster.heartbeat);
    }
}

TEST(Swarm, SeedsExploreDifferentConfigurations) {
    const Scenario base = builtin("swarm-store");
    std::set<std::string> lines;
    std::set<int> nodes;
    std::set<size_t> kind_counts;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        const SwarmDraw d = swarm_draw(base, seed);
        lines.insert(d.line);
        nodes.insert(d.scenario.cluster.nodes);
        kind_counts.insert(d.scenario.nemesis.kinds.size());
    }
    EXPECT_EQ(lines.size(), 40u);
    EXPECT_EQ(nodes, (std::set<int>{5, 7}));
    EXPECT_GE(kind_counts.size(), 5u) << "subsets of many sizes";
}

TEST(Swarm, HalfTheSeedsPartitionTheClientsAndSayHowOften) {
    for (const char* name : {"swarm-store", "swarm-beyond", "swarm-ledger"}) {
        const Scenario base = builtin(name);
        int with = 0;
        for (uint64_t seed = 1; seed <= 100; ++seed) {
            const SwarmDraw d = swarm_draw(base, seed);
            const double p = d.scenario.nemesis.client_partitions;
            EXPECT_TRUE(p == 0 || (p >= 0.25 && p <= 1)) << name << " seed " << seed;
            EXPECT_EQ(p > 0, d.line.find(" client_partitions=") != std::string::npos) << d.line;
            with += p > 0 ? 1 : 0;
        }
        EXPECT_GT(with, 30) << name;
        EXPECT_LT(with, 70) << name;
    }
}

TEST(Swarm, DrawsStayWithinTheBaseAndTheFormat) {
    for (const char* name : {"swarm-store", "swarm-ledger"}) {
        const Scenario base = builtin(name);
        for (uint64_t seed = 1; seed <= 200; ++seed) {
            const Scenario s = swarm_draw(base, seed).scenario;
            ASSERT_FALSE(s.nemesis.kinds.empty());
            for (const auto& [kind, weight] : s.nemesis.kinds) {
                EXPECT_TRUE(base.nemesis.kinds.count(kind)) << kind;
                EXPECT_GT(weight, 0);
            }
            EXPECT_GE(s.cluster.election_timeout_min, s.cluster.heartbeat * 4);
            EXPECT_GT(s.cluster.election_timeout_max, s.cluster.election_timeout_min);
            EXPECT_GE(s.workload.clients, 1);
            EXPECT_LE(s.workload.clients, base.workload.clients);
            EXPECT_GT(s.workload.rate, 0);
            EXPECT_GT(s.nemesis.mean_interval.ns(), 0);
            // What stays fixed: the run's shape, its budget and the fault-free tail.
            EXPECT_EQ(s.duration, base.duration);
            EXPECT_EQ(s.quiet_period, base.quiet_period);
            EXPECT_EQ(s.nemesis.window_end, base.nemesis.window_end);
        }
    }
}

TEST(Swarm, OnlySettingsTheWorkloadReadsAreDrawn) {
    const Scenario base = builtin("swarm-store");  // the store reads no accounts
    for (uint64_t seed = 1; seed <= 20; ++seed)
        EXPECT_EQ(swarm_draw(base, seed).scenario.workload.accounts, base.workload.accounts);
}

TEST(Swarm, ARunLeadsItsSummaryWithItsConfiguration) {
    RunOptions o;
    o.seed = 3;
    const RunResult r = run_scenario(builtin("swarm-store"), o);
    ASSERT_FALSE(r.summary.empty());
    EXPECT_EQ(r.summary[0], swarm_draw(builtin("swarm-store"), 3).line);
    EXPECT_EQ(r.summary[0].rfind("swarm: nodes=", 0), 0u) << r.summary[0];
}

// The built-in swarms run with BUGGIFY on: each run's summary names the points active in it
// and how often each fired, and over a few seeds some point fires.
TEST(Swarm, BuiltInSwarmsRunWithBuggifyAndSaySo) {
    EXPECT_TRUE(builtin("swarm-store").buggify);
    EXPECT_TRUE(builtin("swarm-ledger").buggify);
    EXPECT_FALSE(builtin("nemesis-within").buggify) << "fixed scenarios run without, unless asked";
    bool fired = false;
    for (uint64_t seed = 1; seed <= 4 && !fired; ++seed) {
        RunOptions o;
        o.seed = seed;
        const RunResult r = run_scenario(builtin("swarm-store"), o);
        EXPECT_TRUE(r.pass) << "seed " << seed;
        const auto line =
            std::find_if(r.summary.begin(), r.summary.end(), [](const std::string& l) {
                return l.rfind("buggify: on; active points (times fired):", 0) == 0;
            });
        ASSERT_NE(line, r.summary.end()) << "seed " << seed;
        fired = line->find("=0") == std::string::npos && line->find("none") == std::string::npos;
    }
    EXPECT_TRUE(fired) << "no BUGGIFY point fired in 4 swarm-store seeds";
}

// Seeds a swarm run once failed on, each with the bug it found; they must keep passing.
TEST(Swarm, SeedsThatOnceFailedPass) {
    const std::pair<const char*, uint64_t> seeds[] = {
        // snapshot_every 16 after a restart: a new snapshot replaced the one that knew the term
        // of the entry before the log's first, and the leader could not vouch for it
        {"swarm-store", 100},
        // the fault budget took a wiped node for repaired 3 s after its wipe, caught up or not:
        // four of seven nodes came to abstain, and no leader could be elected again
        {"swarm-ledger", 908},
        // a node whose only snapshot rotted, with no log after it, voted as if its empty log
        // were up to date: a leader without a committed entry was elected
        {"swarm-beyond", 240},
        // a node that lost its disk rejoined in the term it had voted in with no vote on record,
        // free to vote again in that term (raft.vote_durable)
        {"swarm-beyond", 15},
    };
    for (const auto& [name, seed] : seeds) {
        RunOptions o;
        o.seed = seed;
        const RunResult r = run_scenario(builtin(name), o);
        EXPECT_TRUE(r.pass) << name << " seed " << seed << ": "
                            << (r.failures.empty() ? "" : r.failures[0].message);
    }
}

TEST(SwarmFile, NeedsANemesisAndNoScriptedFaults) {
    EXPECT_EQ(errors_of(minimal(R"(, "workload": {"type": "store"}, "swarm": true)")),
              test_support::lines({"storm.json: swarm: a swarm draws its fault mix from the "
                                   "nemesis: add a \"nemesis\""}));
    const std::string faults =
        R"(, "workload": {"type": "store"}, "swarm": true, "faults": [{"kind": "crash", "at": "1s", "for": "1s", "target": "n1"}],)"
        R"( "nemesis": {"window": ["1s", "5s"], "kinds": {"crash": 1}})";
    EXPECT_EQ(errors_of(minimal(faults)),
              test_support::lines({"storm.json: swarm: a swarm draws the cluster's size per seed, "
                                   "and scripted faults name nodes: leave \"faults\" out"}));
    const auto bad = errors_of(minimal(R"(, "swarm": "yes")"));
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_NE(bad[0].find("swarm: expected true or false"), std::string::npos) << bad[0];
}

TEST(BuggifyFile, IsTrueOrFalse) {
    const auto bad = errors_of(minimal(R"(, "buggify": 1)"));
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_NE(bad[0].find("buggify: expected true or false"), std::string::npos) << bad[0];
    EXPECT_TRUE(errors_of(minimal(R"(, "buggify": true)")).empty());
}

}  // namespace
}  // namespace stormlog::scenarios
