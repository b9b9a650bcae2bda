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

namespace stormlog::scenarios {
namespace {

using Json = nlohmann::json;

const std::string k_full_path = STORMLOG_SOURCE_DIR "/tests/scenarios/data/full.json";

// ---- helpers ----

// Every field, one per line, so that a mismatch shows as a readable diff.
std::string dump(const Scenario& s) {
    std::ostringstream o;
    o.precision(17);
    o << "name=" << s.name << "\ndescription=" << s.description << "\nsource=" << s.source
      << "\ncluster=" << s.cluster.nodes << " " << s.cluster.heartbeat.ns() << " "
      << s.cluster.election_timeout_min.ns() << " " << s.cluster.election_timeout_max.ns()
      << "\nnetwork=" << s.network.latency_min.ns() << " " << s.network.latency_max.ns() << " "
      << s.network.latency_shape << " " << s.network.loss << " " << s.network.duplicate << " "
      << s.network.corrupt << "\ndisk=" << s.disk.write_latency_min.ns() << " "
      << s.disk.write_latency_max.ns() << " " << s.disk.read_latency_min.ns() << " "
      << s.disk.read_latency_max.ns() << " " << s.disk.fsync_latency_min.ns() << " "
      << s.disk.fsync_latency_max.ns() << " " << s.disk.capacity_bytes << " "
      << s.disk.torn_write_probability << "\nworkload=" << s.workload.type << " "
      << s.workload.clients << " " << s.workload.rate << "\nduration=" << s.duration.ns() << "\n";
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
    o << "\nbudget=" << static_cast<int>(s.budget) << "\nquiet=" << s.quiet_period.ns()
      << "\nproperties=";
    for (const std::string& p : s.properties) o << p << ",";
    o << "\nexpect_pass=" << s.expect_pass << "\n";
    return o.str();
}

// The error lines for `text` read as storm.json (empty when it is valid).
std::vector<std::string> errors_of(const std::string& text) {
    Scenario s;
    ScenarioErrors e;
    const bool ok = parse_scenario(text, "storm.json", s, e);
    EXPECT_EQ(ok, e.lines.empty());
    return e.lines;
}

std::vector<std::string> lines(std::initializer_list<const char*> l) {
    return std::vector<std::string>(l.begin(), l.end());
}

// A valid file plus `extra` members (a JSON fragment starting with a comma, or empty).
std::string minimal(const std::string& extra = "", const std::string& duration = "\"30s\"") {
    return R"({"name": "storm", "description": "d", "duration": )" + duration + extra + "}";
}

Scenario parsed(const std::string& text) {
    Scenario s;
    ScenarioErrors e;
    EXPECT_TRUE(parse_scenario(text, "storm.json", s, e)) << (e.lines.empty() ? "" : e.lines[0]);
    return s;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- a valid file ----

Scenario expected_full() {
    using D = Duration;
    Scenario s;
    s.name = "storm-full";
    s.description =
        "Every key of the format: five nodes on a lossy network, scripted faults, then a random "
        "nemesis, all within the fault budget";
    s.source = k_full_path;
    s.cluster = ClusterSpec{5, D::millis(50), D::millis(300), D::millis(600)};
    s.network = NetworkSpec{D::micros(500), D::millis(5), 2.5, 0.01, 0.005, 0.001};
    s.disk = DiskSpec{D::micros(50), D::micros(200), D::micros(20), D::micros(100),
                      D::millis(1),  D::millis(5),   512ULL << 20,  0.5};
    s.workload = WorkloadSpec{"messaging", 4, 100.0};
    s.duration = D::seconds(60);
    s.faults = {
        FaultSpec{"crash", D::seconds(5), D::seconds(3), TargetSpec{TargetKind::leader, 0}, {}},
        FaultSpec{"isolate", D::seconds(12), D::seconds(4), TargetSpec{TargetKind::node, 1}, {}},
        FaultSpec{"packet-loss", D::seconds(20), D::seconds(5), TargetSpec{}, {{"rate", 0.2}}},
        FaultSpec{"clock-skew",
                  D::seconds(26),
                  D::seconds(4),
                  TargetSpec{TargetKind::minority, 0},
                  {{"offset", -250e6}}},
        FaultSpec{"restart", D::seconds(31), D(), TargetSpec{TargetKind::random, 0}, {}},
    };
    s.nemesis = NemesisSpec{true,
                            D::seconds(32),
                            D::seconds(50),
                            D::seconds(2),
                            D::millis(500),
                            D::seconds(3),
                            {{"crash", 2}, {"partition-minority", 1}, {"latency-spike", 1}}};
    s.budget = Budget::within;
    s.quiet_period = D::seconds(10);
    s.properties = {"net.no_phantom", "journal.durable", "liveness.messaging"};
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
         std::filesystem::directory_iterator(STORMLOG_SOURCE_DIR "/scenarios")) {
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
    EXPECT_EQ(errors_of(minimal(R"(, "cluster": {"nodes": 40},
        "network": {"loss": 1.5, "latency_shape": 0},
        "workload": {"clients": 0, "rate": 0})")),
              lines({"storm.json: cluster.nodes: expected an integer in 1..15, got 40",
                     "storm.json: network.latency_shape: expected a number in 0.1..10, got 0",
                     "storm.json: network.loss: expected a number in 0..1, got 1.5",
                     "storm.json: workload.clients: expected an integer in 1..100, got 0",
                     "storm.json: workload.rate: expected a number > 0 and <= 100000, got 0"}));
}

TEST(ScenarioErrors, StoreWorkloadKeysAreChecked) {
    EXPECT_EQ(errors_of(minimal(R"(, "workload": {"type": "store", "streams": 0, "read_fraction": 2,
        "reads": "folower"})")),
              lines({"storm.json: workload.streams: expected an integer in 1..1000, got 0",
                     "storm.json: workload.read_fraction: expected a number in 0..1, got 2",
                     R"(storm.json: workload.reads: expected one of "leader", "any", got "folower")"}));
    Scenario s;
    ScenarioErrors e;
    ASSERT_TRUE(parse_scenario(minimal(R"(, "workload": {"type": "store", "streams": 7, "read_fraction": 0.5,
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
            {R"(storm.json: x: unknown key (valid keys: "name", "description", "cluster", "network", "disk", "workload", "duration", "faults", "nemesis", "budget", "quiet_period", "properties", "expect"))",
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
            {R"(storm.json: faults[0].target: expected a target: "n1".."n3", "leader", "random", "minority", "majority" or "all", got "node1")"}));
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
            R"(, "cluster": {"nodes": 99}, "faults": [{"kind": "crash", "at": "1s", "for": "1s", "target": "n20"}])")),
        lines({"storm.json: cluster.nodes: expected an integer in 1..15, got 99"}));
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
    EXPECT_EQ(
        errors_of(minimal("", "\"3s\"")),
        lines(
            {R"(storm.json: quiet_period: expected less than the duration (3s) under budget "within", got the default "5s")"}));
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
    EXPECT_EQ(
        errors_of(minimal(R"(, "disk": {"capacity": "1GB"})")),
        lines(
            {R"(storm.json: disk.capacity: expected a size like "512MiB" or "1GiB" (units B, KiB, MiB, GiB, TiB) or a number of bytes, got "1GB")"}));
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

// ---- fuzzing: whatever the input, an answer and never a crash ----

// Parses `text` and checks the contract: a scenario and no errors, or errors that each start with
// the file label and stay on one line. A scenario it accepts keeps the documented limits.
void check_answer(const std::string& text) {
    Scenario s;
    ScenarioErrors e;
    const bool ok = parse_scenario(text, "fuzz.json", s, e);
    RC_CLASSIFY(ok);
    if (!ok) {
        RC_ASSERT(!e.lines.empty());
        for (const std::string& line : e.lines) {
            RC_ASSERT(line.rfind("fuzz.json:", 0) == 0);
            RC_ASSERT(line.find('\n') == std::string::npos);
        }
        return;
    }
    RC_ASSERT(e.lines.empty());
    RC_ASSERT(s.source == "fuzz.json");
    RC_ASSERT(s.cluster.nodes >= 1 && s.cluster.nodes <= 15);
    RC_ASSERT(s.duration > Duration() && s.duration <= Duration::minutes(24 * 60));
    for (const FaultSpec& f : s.faults) {
        RC_ASSERT(faults::find_kind(f.kind) != nullptr);
        RC_ASSERT(f.at < s.duration && f.at + f.duration <= s.duration);
        RC_ASSERT(f.target.kind != TargetKind::node || f.target.node < s.cluster.nodes);
    }
}

// Words the schema knows, so that random documents reach deep into the validator.
const std::vector<std::string>& words() {
    static const std::vector<std::string> w = [] {
        std::vector<std::string> v = {"name",
                                      "description",
                                      "cluster",
                                      "network",
                                      "disk",
                                      "workload",
                                      "duration",
                                      "faults",
                                      "nemesis",
                                      "budget",
                                      "quiet_period",
                                      "properties",
                                      "expect",
                                      "nodes",
                                      "heartbeat",
                                      "election_timeout",
                                      "latency",
                                      "latency_shape",
                                      "loss",
                                      "duplicate",
                                      "corrupt",
                                      "write_latency",
                                      "read_latency",
                                      "fsync_latency",
                                      "capacity",
                                      "torn_write_probability",
                                      "type",
                                      "clients",
                                      "rate",
                                      "kind",
                                      "at",
                                      "for",
                                      "target",
                                      "params",
                                      "window",
                                      "mean_interval",
                                      "fault_duration",
                                      "kinds",
                                      "within",
                                      "beyond",
                                      "pass",
                                      "fail",
                                      "n1",
                                      "n3",
                                      "n99",
                                      "leader",
                                      "majority",
                                      "1s",
                                      "30s",
                                      "0s",
                                      "-5ms",
                                      "25h",
                                      "soon",
                                      "512MiB",
                                      "messaging",
                                      "offset",
                                      "bits",
                                      "ppm",
                                      "storm",
                                      ""};
        for (const faults::FaultKindInfo& k : faults::catalogue()) v.push_back(k.name);
        return v;
    }();
    return w;
}

Json random_json(int depth) {
    switch (*rc::gen::inRange(0, depth > 0 ? 10 : 7)) {
        case 0:
            return nullptr;
        case 1:
            return *rc::gen::arbitrary<bool>();
        case 2:
            return *rc::gen::arbitrary<int64_t>();
        case 3:
            return *rc::gen::arbitrary<uint64_t>();
        case 4:
            return *rc::gen::arbitrary<double>();
        case 5:
            return *rc::gen::arbitrary<std::string>();
        case 6:
            return *rc::gen::elementOf(words());
        case 7: {
            Json a = Json::array();
            const int n = *rc::gen::inRange(0, 4);
            for (int i = 0; i < n; ++i) a.push_back(random_json(depth - 1));
            return a;
        }
        default: {
            Json o = Json::object();
            const int n = *rc::gen::inRange(0, 6);
            for (int i = 0; i < n; ++i) o[*rc::gen::elementOf(words())] = random_json(depth - 1);
            return o;
        }
    }
}

std::string dump_any(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

RC_GTEST_PROP(ScenarioFileFuzz, RandomJsonDocumentsAlwaysGetAnAnswer, ()) {
    check_answer(dump_any(random_json(*rc::gen::inRange(0, 5))));
}

RC_GTEST_PROP(ScenarioFileFuzz, RandomBytesAlwaysGetAnAnswer, ()) {
    check_answer(*rc::gen::arbitrary<std::string>());
}

// Every node of `j` by JSON pointer, the root excluded.
void pointers(const Json& j, const Json::json_pointer& at, std::vector<Json::json_pointer>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            out.push_back(at / it.key());
            pointers(*it, at / it.key(), out);
        }
    } else if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i) {
            out.push_back(at / i);
            pointers(j[i], at / i, out);
        }
    }
}

RC_GTEST_PROP(ScenarioFileFuzz, StructuralMutationsOfAValidScenarioAlwaysGetAnAnswer, ()) {
    Json doc = Json::parse(read_text(k_full_path));
    const int mutations = *rc::gen::inRange(1, 4);
    for (int m = 0; m < mutations; ++m) {
        std::vector<Json::json_pointer> all;
        pointers(doc, Json::json_pointer(), all);
        if (all.empty()) break;
        const Json::json_pointer p = *rc::gen::elementOf(all);
        Json& parent = doc.at(p.parent_pointer());
        switch (*rc::gen::inRange(0, 3)) {
            case 0:  // delete a key or an element
                if (parent.is_object())
                    parent.erase(p.back());
                else
                    parent.erase(static_cast<size_t>(std::stoul(p.back())));
                break;
            case 1:  // change the type (or value) of a node
                doc.at(p) = random_json(2);
                break;
            default:  // add an unexpected key next to it
                if (parent.is_object()) parent[*rc::gen::elementOf(words())] = random_json(1);
                break;
        }
    }
    check_answer(dump_any(doc));
}

RC_GTEST_PROP(ScenarioFileFuzz, TextMutationsOfAValidScenarioAlwaysGetAnAnswer, ()) {
    std::string text = read_text(k_full_path);
    const int mutations = *rc::gen::inRange(1, 4);
    for (int m = 0; m < mutations && !text.empty(); ++m) {
        const size_t at = *rc::gen::inRange<size_t>(0, text.size());
        switch (*rc::gen::inRange(0, 4)) {
            case 0:
                text.insert(at, *rc::gen::arbitrary<std::string>());
                break;  // garbage
            case 1:
                text.resize(at);
                break;  // truncate
            case 2:
                text.erase(at, *rc::gen::inRange<size_t>(1, 20));
                break;  // cut out
            default:
                text[at] = *rc::gen::elementOf(
                    std::string("{}[]\",:0123456789.-eE \\\n\x01\xff"));  // flip
        }
    }
    check_answer(text);
}

}  // namespace
}  // namespace stormlog::scenarios
