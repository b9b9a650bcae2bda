// Scenario files: a valid file becomes exactly the expected Scenario; every kind of mistake gives
// the exact line the user will read; and no input, however broken, crashes the validator or leaves
// it without an answer.

#include "scenarios/scenario_file.hpp"

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
#include "tests/scenarios/scenario_test_support.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

using Json = nlohmann::json;

const std::string k_full_path = STORMLOG_SOURCE_DIR "/tests/scenarios/data/full.json";

using test_support::errors_of;
using test_support::lines;
using test_support::minimal;
using test_support::parsed;

// ---- helpers ----

// Every field, one per line, so that a mismatch shows as a readable diff.
std::string dump(const Scenario& s) {
    std::ostringstream o;
    o.precision(17);
    o << "name=" << s.name << "\ndescription=" << s.description << "\nsource=" << s.source
      << "\ncluster=" << s.cluster.nodes << " " << s.cluster.heartbeat.ns() << " "
      << s.cluster.election_timeout_min.ns() << " " << s.cluster.election_timeout_max.ns() << " "
      << s.cluster.snapshot_every << "\nnetwork=" << s.network.latency_min.ns() << " "
      << s.network.latency_max.ns() << " " << s.network.latency_shape << " " << s.network.loss
      << " " << s.network.duplicate << " " << s.network.corrupt
      << "\ndisk=" << s.disk.write_latency_min.ns() << " " << s.disk.write_latency_max.ns() << " "
      << s.disk.read_latency_min.ns() << " " << s.disk.read_latency_max.ns() << " "
      << s.disk.fsync_latency_min.ns() << " " << s.disk.fsync_latency_max.ns() << " "
      << s.disk.capacity_bytes << " " << s.disk.torn_write_probability
      << "\nworkload=" << s.workload.type << " " << s.workload.clients << " " << s.workload.rate
      << " " << s.workload.streams << " " << s.workload.read_fraction << " "
      << s.workload.reads_anywhere << " " << s.workload.accounts << " "
      << s.workload.event_bytes_min << " " << s.workload.event_bytes_max
      << "\nduration=" << s.duration.ns() << "\n";
    for (const FaultSpec& f : s.faults) {
        o << "fault=" << f.kind << " " << f.at.ns() << " " << f.duration.ns() << " "
          << static_cast<int>(f.target.kind) << ":" << f.target.node;
        for (const auto& [k, v] : f.params) o << " " << k << "=" << v;
        o << "\n";
    }
    o << "nemesis=" << s.nemesis.enabled << " " << s.nemesis.window_start.ns() << " "
      << s.nemesis.window_end.ns() << " " << s.nemesis.mean_interval.ns() << " "
      << s.nemesis.fault_min.ns() << " " << s.nemesis.fault_max.ns();
    for (const auto& [k, w] : s.nemesis.kinds) o << " " << k << "=" << w;
    o << " client_partitions=" << s.nemesis.client_partitions;
    o << "\nbudget=" << static_cast<int>(s.budget) << "\nquiet=" << s.quiet_period.ns()
      << "\nproperties=";
    for (const std::string& p : s.properties) o << p << ",";
    o << "\nexpect_pass=" << s.expect_pass << "\n";
    return o.str();
}

// ---- a valid file ----

Scenario expected_full() {
    using D = Duration;
    Scenario s;
    s.name = "storm-full";
    s.description =
        "Every key a store scenario can set: the event store on five nodes on a lossy network, "
        "scripted faults, "
        "then a random nemesis, all within the fault budget";
    s.source = k_full_path;
    s.cluster = ClusterSpec{5, D::millis(50), D::millis(300), D::millis(600), 512};
    s.network = NetworkSpec{D::micros(500), D::millis(5), 2.5, 0.01, 0.005, 0.001};
    s.disk = DiskSpec{D::micros(50), D::micros(200), D::micros(20), D::micros(100),
                      D::millis(1),  D::millis(5),   512ULL << 20,  0.5};
    s.workload = WorkloadSpec{"store", 4, 100.0, 6, 0.25, true, 8, {}, 1024, 8192};
    s.duration = D::seconds(60);
    s.faults = {
        FaultSpec{
            "crash", D::seconds(5), D::seconds(3), TargetSpec{TargetKind::leader, 0, {}}, {}, {}},
        FaultSpec{"isolate",
                  D::seconds(12),
                  D::seconds(4),
                  TargetSpec{TargetKind::node, 1, {}},
                  {{"clients", 1}},
                  {}},
        FaultSpec{"packet-loss", D::seconds(20), D::seconds(5), TargetSpec{}, {{"rate", 0.2}}, {}},
        FaultSpec{"clock-skew",
                  D::seconds(26),
                  D::seconds(4),
                  TargetSpec{TargetKind::minority, 0, {}},
                  {{"offset", -250e6}},
                  {}},
        FaultSpec{"restart", D::seconds(31), D(), TargetSpec{TargetKind::random, 0, {}}, {}, {}},
    };
    s.nemesis = NemesisSpec{true,
                            D::seconds(32),
                            D::seconds(50),
                            D::seconds(2),
                            D::millis(500),
                            D::seconds(3),
                            {{"crash", 2}, {"partition-minority", 1}, {"latency-spike", 1}},
                            0.5};
    s.budget = Budget::within;
    s.quiet_period = D::seconds(10);
    s.properties = {"store.durability", "store.linearizable", "liveness.leader"};
    s.expect_pass = true;
    return s;
}

TEST(ScenarioFile, FullExampleParsesIntoExactlyTheExpectedScenario) {
    Scenario s;
    ScenarioErrors e;
    ASSERT_TRUE(load_scenario_file(k_full_path, s, e)) << (e.lines.empty() ? "" : e.lines[0]);
    EXPECT_TRUE(e.lines.empty());
    EXPECT_EQ(dump(s), dump(expected_full()));
}

TEST(ScenarioFile, MinimalFileTakesEveryDefaultOfScenarioHpp) {
    Scenario expected;
    expected.name = "storm";
    expected.description = "d";
    expected.source = "storm.json";
    expected.duration = Duration::seconds(30);
    // The one default that is not scenario.hpp's: the workload, which is the registry's first.
    expected.workload.type = std::string(workloads::registry().front()->name);
    EXPECT_EQ(dump(parsed(minimal())), dump(expected));
}

TEST(ScenarioFile, DefaultParamsAreFilledInAndBeyondAndFailAreRead) {
    const Scenario s = parsed(minimal(R"(, "budget": "beyond", "expect": "fail", "faults": [
        {"kind": "clock-drift", "at": "1s", "for": "2s", "target": "n3"},
        {"kind": "latency-spike", "at": "1s", "for": "1s", "params": {"latency": "1s"}}])"));
    ASSERT_EQ(s.faults.size(), 2u);
    EXPECT_EQ(s.faults[0].params, (std::map<std::string, double>{{"ppm", 1000}}));
    EXPECT_EQ(s.faults[0].target.kind, TargetKind::node);
    EXPECT_EQ(s.faults[0].target.node, 2);
    EXPECT_EQ(s.faults[1].params, (std::map<std::string, double>{{"latency", 1e9}}));
    EXPECT_EQ(s.budget, Budget::beyond);
    EXPECT_FALSE(s.expect_pass);
}

TEST(ScenarioFile, BuiltInScenarioFilesAreValid) {
    int checked = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(STORMLOG_SOURCE_DIR "/scenarios/builtin")) {
        if (entry.path().extension() != ".json") continue;
        Scenario s;
        ScenarioErrors e;
        EXPECT_TRUE(load_scenario_file(entry.path().string(), s, e))
            << entry.path() << ": " << (e.lines.empty() ? "" : e.lines[0]);
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

// ---- the example lines of the issue, literally ----

TEST(ScenarioErrors, BadDurationNamesThePathAndQuotesTheText) {
    EXPECT_EQ(errors_of(minimal(R"(, "faults": [
        {"kind": "crash", "at": "1s", "for": "1s", "target": "n1"},
        {"kind": "crash", "at": "2s", "for": "1s", "target": "n1"},
        {"kind": "crash", "at": "soon", "for": "1s", "target": "n1"}])")),
              lines({R"(storm.json: faults[2].at: expected a duration like "1.5s", got "soon")"}));
}

TEST(ScenarioErrors, UnknownKeySuggestsTheClosestValidKey) {
    EXPECT_EQ(errors_of(minimal(R"(, "netwrok": {"loss": 0.1})")),
              lines({R"(storm.json: netwrok: unknown key (did you mean "network"?))"}));
    EXPECT_EQ(errors_of(minimal(R"(, "workload": {"clinets": 3})")),
              lines({R"(storm.json: workload.clinets: unknown key (did you mean "clients"?))"}));
}

TEST(ScenarioErrors, UnknownKeyWithNothingCloseListsTheValidKeys) {
    EXPECT_EQ(
        errors_of(minimal(R"(, "cluster": {"zzzzzz": 1})")),
        lines(
            {R"(storm.json: cluster.zzzzzz: unknown key (valid keys: "nodes", "heartbeat", "election_timeout", "snapshot_every"))"}));
}

TEST(ScenarioErrors, OutOfRangeNumbersSayTheRange) {
    EXPECT_EQ(errors_of(minimal(R"(, "cluster": {"nodes": 2000},
        "network": {"loss": 1.5, "latency_shape": 0},
        "workload": {"clients": 0, "rate": 0})")),
              lines({"storm.json: cluster.nodes: expected an integer in 1..1024, got 2000",
                     "storm.json: network.latency_shape: expected a number in 0.1..10, got 0",
                     "storm.json: network.loss: expected a number in 0..1, got 1.5",
                     "storm.json: workload.clients: expected an integer in 1..100, got 0",
                     "storm.json: workload.rate: expected a number > 0 and <= 100000, got 0"}));
}

// Each workload bounds the cluster: Raft's workloads at 15 nodes, messaging (the default) at 1024.
TEST(ScenarioErrors, TheWorkloadBoundsTheNodeCount) {
    EXPECT_EQ(errors_of(minimal(R"(, "cluster": {"nodes": 16}, "workload": {"type": "store"})")),
              lines({"storm.json: cluster.nodes: expected an integer in 1..15, got 16"}));
    EXPECT_EQ(errors_of(minimal(R"(, "cluster": {"nodes": 16}, "workload": {"type": "ledger"})")),
              lines({"storm.json: cluster.nodes: expected an integer in 1..15, got 16"}));
    EXPECT_EQ(parsed(minimal(R"(, "cluster": {"nodes": 1024}, "workload": {"type": "messaging"})"))
                  .cluster.nodes,
              1024);
    EXPECT_EQ(parsed(minimal(R"(, "cluster": {"nodes": 101})")).cluster.nodes, 101);
}

TEST(ScenarioErrors, StoreWorkloadKeysAreChecked) {
    EXPECT_EQ(
        errors_of(minimal(R"(, "workload": {"type": "store", "streams": 0, "read_fraction": 2,
        "reads": "folower"})")),
        lines({"storm.json: workload.streams: expected an integer in 1..1000, got 0",
               "storm.json: workload.read_fraction: expected a number in 0..1, got 2",
               R"(storm.json: workload.reads: expected one of "leader", "any", got "folower")"}));
    Scenario s;
    ScenarioErrors e;
    ASSERT_TRUE(parse_scenario(
        minimal(R"(, "workload": {"type": "store", "streams": 7, "read_fraction": 0.5,
        "reads": "any"}, "faults": [{"kind": "power-loss", "at": "1s", "for": "1s"},
        {"kind": "bit-rot", "at": "3s", "for": "1s", "target": "follower", "params": {"then_restart": 1}}])"),
        "storm.json", s, e));
    EXPECT_EQ(s.workload.streams, 7);
    EXPECT_EQ(s.workload.read_fraction, 0.5);
    EXPECT_TRUE(s.workload.reads_anywhere);
    ASSERT_EQ(s.faults.size(), 2u);
    EXPECT_EQ(s.faults[1].target.kind, TargetKind::follower);
    EXPECT_EQ(s.faults[1].params.at("then_restart"), 1.0);
}

TEST(ScenarioErrors, MissingRequiredKeysAreReported) {
    EXPECT_EQ(errors_of(R"({"name": "storm", "description": "d"})"),
              lines({"storm.json: duration: missing (required)"}));
    EXPECT_EQ(errors_of("{}"), lines({"storm.json: name: missing (required)",
                                      "storm.json: description: missing (required)",
                                      "storm.json: duration: missing (required)"}));
}

TEST(ScenarioErrors, WrongTypesSayWhatWasExpectedAndWhatWasFound) {
    EXPECT_EQ(errors_of(R"({"name": 42, "description": ["d"], "duration": 30,
        "cluster": [], "network": {"loss": "0.1"}, "faults": {}, "budget": null,
        "properties": "all", "expect": true})"),
              lines({"storm.json: name: expected a string, got 42",
                     "storm.json: description: expected a string, got an array",
                     "storm.json: cluster: expected an object, got an array",
                     R"(storm.json: network.loss: expected a number in 0..1, got "0.1")",
                     R"(storm.json: duration: expected a duration like "1.5s", got 30)",
                     R"(storm.json: budget: expected one of "within", "beyond", got null)",
                     R"(storm.json: expect: expected one of "pass", "fail", got true)",
                     "storm.json: properties: expected an array of property names, got \"all\"",
                     "storm.json: faults: expected an array of faults, got an object"}));
}

TEST(ScenarioErrors, TopLevelMustBeAnObject) {
    EXPECT_EQ(errors_of("[1, 2]"),
              lines({"storm.json: expected a JSON object at the top level, got an array"}));
}

// ---- malformed JSON: one line with the position ----

TEST(ScenarioErrors, MalformedJsonIsOneLineWithLineAndColumn) {
    EXPECT_EQ(
        errors_of("{\n  \"name\": \"storm\",\n  \"duration\": soon\n}"),
        lines(
            {R"(storm.json:3:15: malformed JSON: invalid literal (expected a number, true, false, null or a "string"))"}));
    EXPECT_EQ(errors_of("{\"name\": \"storm\",}"),
              lines({"storm.json:1:18: malformed JSON: unexpected '}'; expected string literal"}));
    EXPECT_EQ(errors_of(""), lines({"storm.json:1:1: malformed JSON: unexpected end of input; "
                                    "expected '[', '{', or a literal"}));
    EXPECT_EQ(errors_of("{\"a\": 1} x"),
              lines({"storm.json:1:10: malformed JSON: invalid literal; expected end of input"}));
}

TEST(ScenarioErrors, NumberTooLargeForADoublePointsAtTheNumber) {
    EXPECT_EQ(errors_of("{\n\"a\": 1e400}"),
              lines({"storm.json:2:6: malformed JSON: number overflow parsing '1e400'"}));
}

TEST(ScenarioErrors, DeepNestingIsRejectedAtTheLimitWithoutCrashing) {
    EXPECT_EQ(errors_of(std::string(200000, '[')),
              lines({"storm.json:1:65: malformed JSON: nested deeper than 64 levels"}));
    EXPECT_EQ(
        errors_of(R"({"x": ")" + std::string(100, '[') + "\"}"),
        lines(
            {R"(storm.json: x: unknown key (valid keys: "name", "description", "cluster", "network", "disk", "workload", "duration", "faults", "nemesis", "budget", "quiet_period", "properties", "expect", "probes", "swarm", "buggify", "schedule"))",
             "storm.json: name: missing (required)", "storm.json: description: missing (required)",
             "storm.json: duration: missing (required)"}));
}

TEST(ScenarioErrors, TextAboveTheSizeLimitIsOneError) {
    EXPECT_EQ(errors_of(minimal(", \"properties\": [\"" + std::string(4 << 20, 'x') + "\"]")),
              lines({"storm.json: too large: 4194380 bytes (the limit is 4MiB)"}));
}

TEST(ScenarioErrors, InvalidUtf8IsMalformed) {
    const auto e = errors_of("{\"name\": \"\xff\"}");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0], "storm.json:1:11: malformed JSON: invalid string: ill-formed UTF-8 byte");
}

TEST(ScenarioErrors, DuplicateKeysAreErrorsWithTheirPath) {
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "cluster": {"nodes": 3, "nodes": 5}, "faults": [{}, {"kind": "crash", "kind": "pause"}])")),
        lines({"storm.json: cluster.nodes: duplicate key (each key may appear once)",
               "storm.json: faults[1].kind: duplicate key (each key may appear once)",
               "storm.json: faults[0].kind: missing (required)",
               "storm.json: faults[0].at: missing (required)",
               "storm.json: faults[1].at: missing (required)",
               "storm.json: faults[1].for: missing (required for \"pause\")",
               "storm.json: faults[1].target: missing (required for \"pause\")"}));
}

TEST(ScenarioErrors, KeysThatWouldBreakTheLineAreQuotedInThePath) {
    EXPECT_EQ(
        errors_of(minimal(R"(, "cluster": {"a\nb": 1})")),
        lines(
            {R"(storm.json: cluster["a\nb"]: unknown key (valid keys: "nodes", "heartbeat", "election_timeout", "snapshot_every"))"}));
}

// ---- collecting every error ----

TEST(ScenarioErrors, EveryErrorIsReportedNotJustTheFirst) {
    EXPECT_EQ(
        errors_of(R"({"name": "My Storm", "netwrok": {}, "duration": "1 minute",
        "cluster": {"nodes": 40, "heartbeat": "0s"},
        "disk": {"capacity": "64KiB"},
        "workload": {"type": "mesaging"},
        "faults": [{"kind": "crsh", "at": "1s"}, {"kind": "crash", "at": "1s", "for": "1s", "target": "n1", "params": {"x": 1}}]})"),
        lines(
            {R"(storm.json: netwrok: unknown key (did you mean "network"?))",
             R"(storm.json: name: expected 1 to 64 lowercase letters, digits and "-", got "My Storm")",
             "storm.json: description: missing (required)",
             "storm.json: cluster.nodes: expected an integer in 1..15, got 40",
             R"(storm.json: cluster.heartbeat: expected a duration > 0, got "0s")",
             R"(storm.json: disk.capacity: expected a size in 1MiB..1TiB, got "64KiB")",
             R"(storm.json: workload.type: expected one of "messaging", "kernel-smoke", "store", "ledger", got "mesaging" (did you mean "messaging"?))",
             R"(storm.json: duration: expected a duration like "1.5s", got "1 minute")",
             R"(storm.json: faults[0].kind: expected a fault kind, got "crsh" (did you mean "crash"?))",
             R"(storm.json: faults[1].params.x: unknown key ("crash" takes no params))"}));
}

TEST(ScenarioErrors, ErrorLinesStopAtOneHundredAndCountTheRest) {
    std::string extra;
    for (int i = 0; i < 150; ++i) extra += ", \"zz" + std::to_string(1000 + i) + "\": 1";
    const auto e = errors_of(minimal(extra));
    ASSERT_EQ(e.size(), 101u);
    EXPECT_EQ(e.back(), "storm.json: 50 more errors not shown");
}

// ---- value formats ----

TEST(ScenarioValues, RangesNeedTwoOrderedDurations) {
    EXPECT_EQ(
        errors_of(minimal(
            R"(, "network": {"latency": ["10ms", "1ms"]}, "disk": {"read_latency": ["1ms"], "write_latency": "1ms", "fsync_latency": ["1ms", 5]})")),
        lines(
            {R"(storm.json: network.latency: expected a range with min <= max, got ["10ms", "1ms"])",
             R"(storm.json: disk.write_latency: expected a range like ["1ms", "10ms"], got "1ms")",
             R"(storm.json: disk.read_latency: expected a range like ["1ms", "10ms"] (two durations), got an array of 1)",
             R"(storm.json: disk.fsync_latency[1]: expected a duration like "1.5s", got 5)"}));
}

TEST(ScenarioValues, DiskCapacityTakesSizeStringsOrBytes) {
    EXPECT_EQ(parsed(minimal(R"(, "disk": {"capacity": "512MiB"})")).disk.capacity_bytes,
              512ULL << 20);
    EXPECT_EQ(parsed(minimal(R"(, "disk": {"capacity": "2GiB"})")).disk.capacity_bytes, 2ULL << 30);
    EXPECT_EQ(parsed(minimal(R"(, "disk": {"capacity": 1048576})")).disk.capacity_bytes,
              1ULL << 20);
    EXPECT_EQ(errors_of(minimal(R"(, "disk": {"capacity": "64KiB"})")),
              lines({R"(storm.json: disk.capacity: expected a size in 1MiB..1TiB, got "64KiB")"}));
    EXPECT_EQ(errors_of(minimal(R"(, "disk": {"capacity": -1})")),
              lines({"storm.json: disk.capacity: expected a size in 1MiB..1TiB, got -1"}));
    EXPECT_EQ(parsed(minimal(R"(, "disk": {"capacity": "2GB"})")).disk.capacity_bytes,
              2'000'000'000u);
    EXPECT_EQ(
        errors_of(minimal(R"(, "disk": {"capacity": "1gb"})")),
        lines(
            {R"(storm.json: disk.capacity: expected a size like "512MiB" or "1GiB" (units B, KiB, MiB, GiB, TiB, KB, MB, GB, TB) or a number of bytes, got "1gb")"}));
    EXPECT_EQ(errors_of(minimal(R"(, "disk": {"capacity": "99999999999999999999TiB"})")).size(),
              1u);
}

TEST(ScenarioValues, NameMustBeLowercaseLettersDigitsAndDashes) {
    EXPECT_EQ(
        parsed(R"({"name": "a-1", "description": "d", "duration": "1s", "quiet_period": "0s"})")
            .name,
        "a-1");
    for (const char* bad : {"\"\"", "\"A\"", "\"a b\"", "\"a_b\""}) {
        EXPECT_EQ(
            errors_of(std::string(R"({"name": )") + bad +
                      R"(, "description": "d", "duration": "30s"})"),
            lines(
                {(std::string(
                      R"(storm.json: name: expected 1 to 64 lowercase letters, digits and "-", got )") +
                  bad)
                     .c_str()}));
    }
}

TEST(ScenarioValues, LongStringsAreCutShortInMessages) {
    const auto e = errors_of(minimal(R"(, "budget": ")" + std::string(1000, 'x') + "\""));
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0], R"(storm.json: budget: expected one of "within", "beyond", got ")" +
                        std::string(40, 'x') + R"(...")");
}

// ---- files ----

TEST(ScenarioFile, LoadReportsUnreadableFilesAndDirectories) {
    Scenario s;
    ScenarioErrors e;
    EXPECT_FALSE(load_scenario_file("/nonexistent/storm.json", s, e));
    EXPECT_FALSE(load_scenario_file(STORMLOG_SOURCE_DIR "/tests", s, e));
    EXPECT_EQ(e.lines, lines({"/nonexistent/storm.json: cannot read: No such file or directory",
                              STORMLOG_SOURCE_DIR "/tests: cannot read: Is a directory"}));
}

TEST(ScenarioFile, LoadLabelsErrorsWithThePathAsGiven) {
    const std::string path = ::testing::TempDir() + "stormlog_scenario_file_test.json";
    {
        std::ofstream out(path);
        out << "{\"name\": \"x\", \"description\": \"d\"}";
    }
    Scenario s;
    ScenarioErrors e;
    EXPECT_FALSE(load_scenario_file(path, s, e));
    EXPECT_EQ(e.lines, std::vector<std::string>{path + ": duration: missing (required)"});
    std::remove(path.c_str());
}

}  // namespace
}  // namespace stormlog::scenarios
