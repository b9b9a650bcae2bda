// Explicit faults: the scenario writer round-trips every built-in scenario; exact targets and
// partition layouts parse and are refused when malformed; and a run's faults made explicit
// (`--dump-scenario`) replay the run: the same verdict and failing property on 20 seeds of the
// nemesis scenarios (with and without a bug switch), and the explicit run applies exactly the
// faults the original did.

#include "scenarios/explicit.hpp"

#include <gtest/gtest.h>

#include <string>

#include "scenarios/runner.hpp"
#include "scenarios/scenario_writer.hpp"
#include "tests/scenarios/scenario_test_support.hpp"

namespace stormlog::scenarios {
namespace {

using test_support::errors_of;
using test_support::lines;
using test_support::minimal;

std::string json_of(const Scenario& s) {
    return scenario_json(s);
}

Scenario reparsed(const Scenario& s) {
    Scenario out;
    ScenarioErrors errors;
    EXPECT_TRUE(parse_scenario(json_of(s), "w.json", out, errors))
        << json_of(s) << (errors.lines.empty() ? "" : errors.lines.front());
    return out;
}

TEST(ScenarioWriter, EveryBuiltinScenarioRoundTrips) {
    for (const Scenario& s : builtin_scenarios_list()) {
        const Scenario back = reparsed(s);
        EXPECT_EQ(json_of(back), json_of(s)) << s.name;
        EXPECT_EQ(back.faults, s.faults) << s.name;
        EXPECT_EQ(back.cluster.nodes, s.cluster.nodes);
        EXPECT_EQ(back.duration, s.duration);
    }
}

TEST(ScenarioWriter, DurationsStayExact) {
    EXPECT_EQ(exact_duration(sim::Duration::nanos(1234567891)), "1234567891ns");
    EXPECT_EQ(exact_duration(sim::Duration::millis(1500)), "1500ms");
    EXPECT_EQ(exact_duration(sim::Duration::seconds(-2)), "-2s");
    EXPECT_EQ(exact_duration(sim::Duration{}), "0s");
}

TEST(ExplicitFaults, TargetListsAndSidesParse) {
    const Scenario s = test_support::parsed(minimal(
        R"(, "cluster": {"nodes": 5}, "workload": {"type": "store"}, "faults": [
        {"kind": "crash", "at": "1s", "for": "1s", "target": ["n3", "n1"]},
        {"kind": "partition", "at": "3s", "for": "1s", "sides": [["n1", "c2"], ["n2", "n3"]]},
        {"kind": "partition-one-way", "at": "5s", "for": "1s", "sides": [["n4"], ["n1", "n2"]]}])"));
    ASSERT_EQ(s.faults.size(), 3u);
    EXPECT_EQ(s.faults[0].target.kind, TargetKind::nodes);
    EXPECT_EQ(s.faults[0].target.nodes, (std::vector<int>{0, 2}));
    EXPECT_EQ(s.faults[1].sides.size(), 2u);
    // Without a target, one-way acts on its first side's cluster nodes.
    EXPECT_EQ(s.faults[2].target.nodes, std::vector<int>{3});
}

TEST(ExplicitFaults, MalformedTargetListsAndSidesAreRefused) {
    auto errors = [](const std::string& fault) {
        return errors_of(minimal(R"(, "cluster": {"nodes": 3}, "faults": [)" + fault + "]"));
    };
    EXPECT_EQ(errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": ["n1", "n1"]})"),
              lines({R"(storm.json: faults[0].target[1]: expected distinct nodes, got "n1")"}));
    EXPECT_EQ(
        errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": ["n4"]})"),
        lines({R"(storm.json: faults[0].target[0]: expected a node in "n1".."n3", got "n4")"}));
    EXPECT_EQ(errors(R"({"kind": "partition", "at": "1s", "for": "1s"})"),
              lines({R"(storm.json: faults[0].sides: missing (required for "partition"))"}));
    EXPECT_EQ(
        errors(
            R"({"kind": "crash", "at": "1s", "for": "1s", "target": "n1", "sides": [["n1"], ["n2"]]})"),
        lines(
            {R"(storm.json: faults[0].sides: not allowed: "crash" is not a partition (it takes no sides))"}));
    EXPECT_EQ(
        errors(R"({"kind": "partition", "at": "1s", "for": "1s", "sides": [["n1", "n2", "n3"]]})"),
        lines(
            {R"(storm.json: faults[0].sides: expected an array of at least two sides, each an array of nodes, got an array)"}));
    EXPECT_EQ(
        errors(
            R"({"kind": "partition-one-way", "at": "1s", "for": "1s", "sides": [["n1"], ["n2"], ["n3"]]})"),
        lines(
            {R"(storm.json: faults[0].sides: expected an array of two sides [from, to], each an array of nodes, got an array)"}));
    EXPECT_EQ(
        errors(R"({"kind": "partition", "at": "1s", "for": "1s", "sides": [["n1"], []]})"),
        lines(
            {R"(storm.json: faults[0].sides[1]: expected a non-empty array of nodes, got an array)"}));
    EXPECT_EQ(
        errors(R"({"kind": "partition", "at": "1s", "for": "1s", "sides": [["n1"], ["Host 2"]]})"),
        lines(
            {R"(storm.json: faults[0].sides[1][0]: expected a node name: "n1".."n3" or a client node ("c1"), got "Host 2")"}));
}

// Runs `s` under `seed` (with `bug` on, if any); then its faults made explicit under the same seed.
void expect_replays(const Scenario& s, uint64_t seed, const workloads::BugSwitch* bug) {
    RunOptions o;
    o.seed = seed;
    const RunResult original = run_scenario(s, o, bug);
    const Scenario e = reparsed(explicit_scenario(s, seed, original));
    EXPECT_FALSE(e.nemesis.enabled);
    const RunResult replay = run_scenario(e, o, bug);
    EXPECT_EQ(replay.pass, original.pass) << s.name << " seed " << seed;
    if (!original.pass && !replay.pass) {
        EXPECT_EQ(replay.failures.front().property, original.failures.front().property)
            << s.name << " seed " << seed;
    }
    // Not only the verdict: the explicit run applied exactly the faults the original did.
    Scenario a = e;
    Scenario b = e;
    a.faults = original.explicit_faults;
    b.faults = replay.explicit_faults;
    EXPECT_EQ(json_of(b), json_of(a)) << s.name << " seed " << seed;
}

TEST(ExplicitFaults, DumpedScenariosReplayTwentySeedsOfEachNemesis) {
    for (const char* name : {"nemesis-within", "ledger-nemesis", "swarm-store"}) {
        Scenario s;
        ScenarioErrors errors;
        ASSERT_TRUE(resolve_scenario(name, s, errors));
        for (uint64_t seed = 1; seed <= 20; ++seed) expect_replays(s, seed, nullptr);
    }
}

TEST(ExplicitFaults, FailingRunsReplayTheirFailure) {
    const struct {
        const char* scenario;
        const char* bug;
    } cases[] = {{"nemesis-within", "raft.commit_by_counting"},
                 {"ledger-nemesis", "ledger.debit_any_version"}};
    for (const auto& c : cases) {
        Scenario s;
        ScenarioErrors errors;
        ASSERT_TRUE(resolve_scenario(c.scenario, s, errors));
        int failed = 0;
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            RunOptions o;
            o.seed = seed;
            failed += run_scenario(s, o, workloads::find_bug_switch(c.bug)).pass ? 0 : 1;
            expect_replays(s, seed, workloads::find_bug_switch(c.bug));
        }
        EXPECT_GT(failed, 0) << c.bug << ": the test needs failing seeds";
    }
}

}  // namespace
}  // namespace stormlog::scenarios
