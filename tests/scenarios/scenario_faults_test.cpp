// Scenario files: scripted faults against the fault catalogue, the fault budget, the nemesis, and
// what the workload allows (its properties, its application faults, leader targets).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "faults/catalogue.hpp"
#include "scenarios/scenario_file.hpp"
#include "tests/scenarios/scenario_test_support.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

using test_support::errors_of;
using test_support::lines;
using test_support::minimal;
using test_support::parsed;

// ---- faults ----

std::vector<std::string> fault_errors(const std::string& fault, const std::string& more = "") {
    return errors_of(minimal(", \"faults\": [" + fault + "]" + more));
}

TEST(ScenarioFaults, UnknownKindSuggestsTheClosestCatalogueName) {
    EXPECT_EQ(
        fault_errors(R"({"kind": "partition-half", "at": "1s", "for": "1s"})"),
        lines(
            {R"(storm.json: faults[0].kind: expected a fault kind, got "partition-half" (did you mean "partition-halves"?))"}));
    EXPECT_EQ(
        fault_errors(R"({"kind": "meteor", "at": "1s"})"),
        lines(
            {R"(storm.json: faults[0].kind: expected a fault kind, got "meteor" ("stormlog list faults" shows them))"}));
}

TEST(ScenarioFaults, TargetIsRequiredExactlyWhenTheKindTakesOne) {
    EXPECT_EQ(fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s"})"),
              lines({R"(storm.json: faults[0].target: missing (required for "crash"))"}));
    EXPECT_EQ(
        fault_errors(R"({"kind": "partition-halves", "at": "1s", "for": "1s", "target": "n1"})"),
        lines(
            {R"(storm.json: faults[0].target: not allowed: "partition-halves" acts on the whole cluster (it takes no "target"))"}));
    EXPECT_EQ(
        fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "node1"})"),
        lines(
            {R"(storm.json: faults[0].target: expected a target: "n1".."n3", "leader", "random", "minority", "majority", "all" or an array of nodes, got "node1")"}));
}

TEST(ScenarioFaults, NodeTargetsMustExistInTheCluster) {
    EXPECT_EQ(
        fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "n4"})"),
        lines(
            {R"(storm.json: faults[0].target: expected a node in "n1".."n3" (cluster.nodes is 3), got "n4")"}));
    EXPECT_EQ(fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "n0"})").size(),
              1u);
    EXPECT_EQ(fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "n01"})").size(),
              1u);
    const Scenario s = parsed(minimal(
        R"(, "cluster": {"nodes": 15}, "faults": [{"kind": "crash", "at": "1s", "for": "1s", "target": "n15"}])"));
    EXPECT_EQ(s.faults.at(0).target.node, 14);
    // A wrong node count is reported once, not again by every target that names a node.
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "cluster": {"nodes": 2000}, "faults": [{"kind": "crash", "at": "1s", "for": "1s", "target": "n20"}])")),
        lines({"storm.json: cluster.nodes: expected an integer in 1..1024, got 2000"}));
}

TEST(ScenarioFaults, ForIsRequiredExactlyWhenTheKindTakesADuration) {
    EXPECT_EQ(fault_errors(R"({"kind": "pause", "at": "1s", "target": "leader"})"),
              lines({R"(storm.json: faults[0].for: missing (required for "pause"))"}));
    EXPECT_EQ(
        fault_errors(R"({"kind": "restart", "at": "1s", "for": "1s", "target": "leader"})"),
        lines(
            {R"(storm.json: faults[0].for: not allowed: "restart" is instant (it takes no "for"))"}));
    EXPECT_EQ(fault_errors(R"({"kind": "pause", "at": "1s", "for": "0s", "target": "leader"})"),
              lines({R"(storm.json: faults[0].for: expected a duration > 0, got "0s")"}));
}

TEST(ScenarioFaults, ParamsAreCheckedAgainstTheCatalogue) {
    EXPECT_EQ(
        fault_errors(R"({"kind": "packet-loss", "at": "1s", "for": "1s", "params": {"rat": 0.5}})"),
        lines({R"(storm.json: faults[0].params.rat: unknown key (did you mean "rate"?))"}));
    EXPECT_EQ(
        fault_errors(R"({"kind": "packet-loss", "at": "1s", "for": "1s", "params": {"rate": 2}})"),
        lines({"storm.json: faults[0].params.rate: expected a number in 0..1, got 2"}));
    EXPECT_EQ(
        fault_errors(
            R"({"kind": "bit-rot", "at": "1s", "for": "1s", "target": "all", "params": {"bits": 2.5}})"),
        lines({"storm.json: faults[0].params.bits: expected an integer in 1..1000, got 2.5"}));
    EXPECT_EQ(
        fault_errors(
            R"({"kind": "clock-jump", "at": "1s", "target": "all", "params": {"delta": "2h"}})"),
        lines({R"(storm.json: faults[0].params.delta: expected a duration in -1h..1h, got "2h")"}));
    EXPECT_EQ(
        fault_errors(
            R"({"kind": "latency-spike", "at": "1s", "for": "1s", "params": {"latency": "-1s"}})"),
        lines(
            {R"(storm.json: faults[0].params.latency: expected a duration like "1.5s", got "-1s")"}));
    EXPECT_EQ(
        fault_errors(
            R"({"kind": "crash", "at": "1s", "for": "1s", "target": "n1", "params": {"rate": 1}})"),
        lines({R"(storm.json: faults[0].params.rate: unknown key ("crash" takes no params))"}));
    EXPECT_EQ(
        fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "n1", "params": []})"),
        lines({"storm.json: faults[0].params: expected an object, got an array"}));
}

TEST(ScenarioFaults, NegativeDurationParamsAreStoredInNanoseconds) {
    const Scenario s = parsed(minimal(
        R"(, "faults": [{"kind": "clock-jump", "at": "1s", "target": "all", "params": {"delta": "-1.5s"}}])"));
    EXPECT_EQ(s.faults.at(0).params.at("delta"), -1.5e9);
}

TEST(ScenarioFaults, FaultsMustFitTheRun) {
    EXPECT_EQ(
        fault_errors(R"({"kind": "crash", "at": "30s", "for": "1s", "target": "n1"})"),
        lines(
            {R"(storm.json: faults[0].at: expected a time before the end of the run (30s), got "30s")"}));
    EXPECT_EQ(fault_errors(R"({"kind": "crash", "at": "20s", "for": "15s", "target": "n1"})",
                           R"(, "budget": "beyond")"),
              lines({"storm.json: faults[0]: expected the fault to end by the end of the run "
                     "(30s), got an end at 35s (at 20s + for 15s)"}));
    // Huge values must not wrap around into "fits".
    EXPECT_EQ(fault_errors(R"({"kind": "crash", "at": "1s", "for": "9223372036s", "target": "n1"})",
                           R"(, "budget": "beyond")")
                  .size(),
              1u);
}

TEST(ScenarioFaults, TooManyFaultsIsOneError) {
    std::string many;
    for (int i = 0; i < 10001; ++i) many += std::string(i ? "," : "") + "{}";
    EXPECT_EQ(fault_errors(many),
              lines({"storm.json: faults: expected at most 10000 faults, got an array of 10001"}));
}

// ---- the fault budget ----

TEST(ScenarioBudget, WithinKeepsTheQuietPeriodFaultFree) {
    const std::string faults = R"({"kind": "crash", "at": "20s", "for": "6s", "target": "n1"},
                                  {"kind": "restart", "at": "25s", "target": "n1"},
                                  {"kind": "crash", "at": "20s", "for": "5s", "target": "n1"})";
    EXPECT_EQ(
        fault_errors(
            faults,
            R"(, "quiet_period": "5s", "nemesis": {"window": ["0s", "28s"], "kinds": {"crash": 1}})"),
        lines(
            {R"(storm.json: faults[0]: expected the fault to end by 25s (budget "within" keeps the last 5s fault-free), got an end at 26s (at 20s + for 6s))",
             R"(storm.json: faults[1].at: expected a time before 25s (budget "within" keeps the last 5s fault-free), got "25s")",
             R"(storm.json: nemesis.window: expected a window that ends by 25s (budget "within" keeps the last 5s fault-free), got ["0s", "28s"])"}));
}

TEST(ScenarioBudget, AFaultThatCanNeverFitWithinIsRefused) {
    const std::string five = R"(, "cluster": {"nodes": 5})";
    EXPECT_EQ(
        fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "majority"})", five),
        lines(
            {R"(storm.json: faults[0]: never fits budget "within": it makes 3 of 5 nodes faulty, and budget "within" allows 2 (aim it at fewer nodes, or use budget "beyond"))"}));
    EXPECT_TRUE(
        fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "minority"})", five)
            .empty());
    EXPECT_TRUE(fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "all"})",
                             five + R"(, "budget": "beyond")")
                    .empty());
    EXPECT_TRUE(
        fault_errors(R"({"kind": "clock-skew", "at": "1s", "for": "1s", "target": "all"})", five)
            .empty())
        << "a clock fault counts against no budget";
    const std::string four = R"(, "cluster": {"nodes": 4})";
    EXPECT_EQ(fault_errors(R"({"kind": "partition-halves", "at": "1s", "for": "1s"})", four).size(),
              1u)
        << "two halves of two: nobody reaches a majority";
    EXPECT_EQ(
        errors_of(minimal(
            four +
            R"(, "nemesis": {"window": ["1s", "9s"], "kinds": {"partition-halves": 1, "crash": 1}})")),
        lines(
            {R"(storm.json: nemesis.kinds.partition-halves: never fits budget "within": it makes 4 of 4 nodes faulty, and budget "within" allows 1 (aim it at fewer nodes, or use budget "beyond"))"}));
}

TEST(ScenarioBudget, LivenessAskedForUnderBeyondIsRefused) {
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "workload": {"type": "store"}, "budget": "beyond", "properties": ["store.durability", "liveness.leader"])")),
        lines(
            {R"(storm.json: properties[1]: "liveness.leader" is checked only under budget "within" (beyond it the system may stop serving, and only safety must hold))"}));
}

TEST(ScenarioBudget, BeyondAllowsFaultsInTheTail) {
    const Scenario s = parsed(minimal(
        R"(, "budget": "beyond", "faults": [{"kind": "crash", "at": "20s", "for": "10s", "target": "n1"}],
        "nemesis": {"window": ["0s", "30s"], "kinds": {"crash": 1}})"));
    EXPECT_EQ(s.faults.size(), 1u);
}

TEST(ScenarioBudget, QuietPeriodMustBeShorterThanTheRunUnderWithin) {
    EXPECT_EQ(
        errors_of(minimal(R"(, "quiet_period": "30s")")),
        lines(
            {R"(storm.json: quiet_period: expected less than the duration (30s) under budget "within", got "30s")"}));
    // Left out, it is the default 5 s, or half a shorter run.
    EXPECT_EQ(parsed(minimal("", "\"3s\"")).quiet_period, Duration::millis(1500));
    EXPECT_EQ(parsed(minimal("", "\"10s\"")).quiet_period, Duration::seconds(5));
    EXPECT_EQ(parsed(minimal("", "\"1h\"")).quiet_period, Duration::seconds(5));
    EXPECT_TRUE(errors_of(minimal(R"(, "quiet_period": "30s", "budget": "beyond")")).empty());
}

TEST(ScenarioBudget, DurationMustBePositiveAndAtMostADay) {
    EXPECT_EQ(errors_of(minimal("", "\"25h\"")),
              lines({R"(storm.json: duration: expected a duration > 0 and <= 24h, got "25h")"}));
    EXPECT_EQ(errors_of(minimal("", "\"0s\"")),
              lines({R"(storm.json: duration: expected a duration > 0 and <= 24h, got "0s")"}));
}

// ---- the nemesis ----

TEST(ScenarioNemesis, PresenceEnablesItWithTheGivenSettings) {
    const Scenario s =
        parsed(minimal(R"(, "nemesis": {"window": ["1s", "20s"], "kinds": {"pause": 0.5}})"));
    EXPECT_TRUE(s.nemesis.enabled);
    EXPECT_EQ(s.nemesis.window_start, Duration::seconds(1));
    EXPECT_EQ(s.nemesis.window_end, Duration::seconds(20));
    EXPECT_EQ(s.nemesis.kinds, (std::map<std::string, double>{{"pause", 0.5}}));
    EXPECT_EQ(s.nemesis.mean_interval, NemesisSpec{}.mean_interval);
    EXPECT_FALSE(parsed(minimal()).nemesis.enabled);
}

TEST(ScenarioNemesis, KindsAreCatalogueNamesWithPositiveWeights) {
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "nemesis": {"window": ["0s", "35s"], "mean_interval": "0s", "fault_duration": ["0s", "1s"],
        "kinds": {"crsh": 1, "pause": 0, "isolate": "1"}})")),
        lines(
            {R"(storm.json: nemesis.window: expected a window within the run (which ends at 30s), got ["0s", "35s"])",
             R"(storm.json: nemesis.mean_interval: expected a duration > 0, got "0s")",
             R"(storm.json: nemesis.fault_duration: expected a range with min > 0, got ["0s", "1s"])",
             R"(storm.json: nemesis.kinds.crsh: unknown fault kind (did you mean "crash"?))",
             R"(storm.json: nemesis.kinds.isolate: expected a number > 0 and <= 1000000, got "1")",
             "storm.json: nemesis.kinds.pause: expected a number > 0 and <= 1000000, got 0"}));
    EXPECT_EQ(
        errors_of(minimal(R"(, "nemesis": {"kinds": {}})")),
        lines(
            {"storm.json: nemesis.window: missing (required)",
             R"(storm.json: nemesis.kinds: expected an object of fault kinds and weights, like {"crash": 1}, got {})"}));
}

TEST(ScenarioNemesis, ClientPartitionsIsAProbabilityAndPartitionsTakeAClientsParam) {
    EXPECT_EQ(parsed(minimal(R"(, "nemesis": {"window": ["1s", "20s"], "kinds": {"isolate": 1},
        "client_partitions": 0.25})"))
                  .nemesis.client_partitions,
              0.25);
    EXPECT_EQ(parsed(minimal(R"(, "nemesis": {"window": ["1s", "20s"], "kinds": {"isolate": 1}})"))
                  .nemesis.client_partitions,
              0);
    EXPECT_EQ(errors_of(minimal(R"(, "nemesis": {"window": ["1s", "20s"], "kinds": {"isolate": 1},
        "client_partitions": 2})")),
              lines({"storm.json: nemesis.client_partitions: expected a number in 0..1, got 2"}));
    const Scenario s = parsed(minimal(R"(, "faults": [
        {"kind": "partition-ring", "at": "1s", "for": "1s", "params": {"clients": 1}},
        {"kind": "partition-halves", "at": "3s", "for": "1s"}])"));
    ASSERT_EQ(s.faults.size(), 2u);
    EXPECT_EQ(s.faults[0].params, (std::map<std::string, double>{{"clients", 1}}));
    EXPECT_EQ(s.faults[1].params, (std::map<std::string, double>{{"clients", 0}}));
    EXPECT_EQ(fault_errors(R"({"kind": "isolate", "at": "1s", "for": "1s", "target": "n1",
        "params": {"clients": 2}})"),
              lines({"storm.json: faults[0].params.clients: expected an integer in 0..1, got 2"}));
}

// ---- what the workload allows ----

TEST(ScenarioWorkload, TheTypeIsARegistryName) {
    EXPECT_EQ(
        errors_of(minimal(R"(, "workload": {"type": "ledgr"})")),
        lines(
            {R"(storm.json: workload.type: expected one of "messaging", "kernel-smoke", "store", "ledger", got "ledgr" (did you mean "ledger"?))"}));
    for (const workloads::Workload* w : workloads::registry()) {
        EXPECT_EQ(parsed(minimal(R"(, "workload": {"type": ")" + std::string(w->name) + R"("})"))
                      .workload.type,
                  w->name);
    }
}

TEST(ScenarioWorkload, ASettingTheWorkloadDoesNotReadIsRefused) {
    EXPECT_EQ(
        errors_of(minimal(R"(, "workload": {"type": "store", "accounts": 12, "streams": 3})")),
        lines(
            {R"(storm.json: workload.accounts: not read by workload "store" (it reads "clients", "rate", "streams", "read_fraction", "reads", "event_bytes"))"}));
    EXPECT_EQ(
        errors_of(minimal(R"(, "workload": {"type": "kernel-smoke", "rate": 5})")),
        lines(
            {R"(storm.json: workload.rate: not read by workload "kernel-smoke" (it reads "fail_assertion_at"))"}));
    EXPECT_EQ(
        parsed(minimal(R"(, "workload": {"type": "kernel-smoke", "fail_assertion_at": "2s"})"))
            .workload.fail_assertion_at,
        Duration::seconds(2));
    EXPECT_EQ(
        errors_of(minimal(R"(, "workload": {"type": "kernel-smoke", "fail_assertion_at": "30s"})")),
        lines(
            {R"(storm.json: workload.fail_assertion_at: expected a time before the end of the run (30s), got "30s")"}));
}

TEST(ScenarioWorkload, PropertiesMustBeTheWorkloadsWithTheClosestSuggested) {
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "workload": {"type": "store"}, "properties": ["store.durabilty", "liveness.leader"])")),
        lines(
            {R"(storm.json: properties[0]: unknown property "store.durabilty" for workload "store" (did you mean "store.durability"?))"}));
    const std::vector<std::string> e =
        errors_of(minimal(R"(, "properties": ["ledger.conservation"])"));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(
        e[0].rfind(
            R"(storm.json: properties[0]: unknown property "ledger.conservation" for workload "messaging" (its properties: "net.no_phantom", )",
            0),
        0u)
        << e[0];
}

TEST(ScenarioWorkload, AWrongPropertyIsReportedInTheSamePassAsAnError) {
    // The quiet period does not fit a 5 s run, and the property is misspelled: both at once.
    const std::vector<std::string> e =
        errors_of(minimal(R"(, "quiet_period": "10s", "properties": ["net.no_phantm"])", "\"5s\""));
    ASSERT_EQ(e.size(), 2u);
    EXPECT_NE(e[0].find("quiet_period"), std::string::npos) << e[0];
    EXPECT_NE(e[1].find("did you mean \"net.no_phantom\""), std::string::npos) << e[1];
}

TEST(ScenarioWorkload, ApplicationFaultsNeedAWorkloadThatCarriesThemOut) {
    EXPECT_EQ(
        fault_errors(R"({"kind": "poison-event", "at": "1s"})",
                     R"(, "workload": {"type": "store"})"),
        lines(
            {R"(storm.json: faults[0].kind: "poison-event" is an application fault workload "store" does not carry out (workload ledger does))"}));
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "nemesis": {"window": ["1s", "9s"], "kinds": {"crash": 1, "load-burst": 2}})")),
        lines(
            {R"(storm.json: nemesis.kinds.load-burst: "load-burst" is an application fault workload "messaging" does not carry out (workload ledger does))"}));
    EXPECT_TRUE(fault_errors(R"({"kind": "poison-event", "at": "1s"})",
                             R"(, "workload": {"type": "ledger"})")
                    .empty());
}

TEST(ScenarioWorkload, LeaderAndFollowerTargetsNeedAWorkloadThatElectsOne) {
    EXPECT_EQ(
        fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "leader"})"),
        lines(
            {R"(storm.json: faults[0].target: expected a target workload "messaging" has (it elects no leader: name a node, or random, minority, majority, all), got "leader")"}));
    EXPECT_EQ(fault_errors(R"({"kind": "pause", "at": "1s", "for": "1s", "target": "follower"})",
                           R"(, "workload": {"type": "kernel-smoke"})")
                  .size(),
              1u);
    EXPECT_TRUE(fault_errors(R"({"kind": "crash", "at": "1s", "for": "1s", "target": "leader"})",
                             R"(, "workload": {"type": "store"})")
                    .empty());
}

}  // namespace
}  // namespace stormlog::scenarios
