// Incident import: events paired into faults with `at` and `for`, hosts and groups mapped to
// nodes, each event kind onto its fault kind, and time zero set by the start and the lead-in.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/scenarios/incident_test_support.hpp"

namespace stormlog::scenarios::incident {
namespace {

using test_support::converted;
using test_support::event;
using test_support::fault_lines;
using test_support::import_errors;
using test_support::k_header;

using Lines = std::vector<std::string>;

TEST(IncidentImport, ADownAndItsUpBecomeACrashWithAtAndFor) {
    const std::string timeline =
        k_header + event("22:52:00", "node-down", "db1") + event("22:52:03", "node-up", "db1");
    EXPECT_EQ(converted(timeline), R"({
  "name": "t",
  "description": "imported by stormlog incident from t.jsonl",
  "cluster": {"nodes": 5},
  "workload": {"type": "store", "clients": 3},
  "duration": "18s",
  "faults": [
    {"kind": "crash", "at": "5s", "for": "3s", "target": "n1"}
  ],
  "quiet_period": "5s",
  "budget": "within",
  "expect": "pass"
}
)");
    EXPECT_EQ(import_errors(timeline), Lines{});
}

TEST(IncidentImport, StartAndLeadInSetTimeZeroAndTailTheEnd) {
    const std::string header =
        R"({"name": "t", "start": "2018-10-21T22:50:00Z", "lead_in": "1s", "tail": "7s"})"
        "\n"
        R"({"hosts": {"db1": "n1"}})"
        "\n";
    const std::string file = converted(header + event("22:52:00.25", "node-down", "db1") +
                                       event("22:52:01", "node-up", "db1"));
    EXPECT_NE(file.find(R"("cluster": {"nodes": 1})"), std::string::npos) << file;
    EXPECT_NE(file.find(R"("duration": "129s")"), std::string::npos) << file;
    EXPECT_NE(file.find(R"({"kind": "crash", "at": "121250ms", "for": "750ms", "target": "n1"})"),
              std::string::npos)
        << file;
}

TEST(IncidentImport, AGroupThatGoesDownAndUpTogetherIsOneFaultOnEveryNode) {
    EXPECT_EQ(fault_lines(k_header + event("22:52:00", "node-down", "west") +
                          event("22:52:04", "node-up", "west")),
              Lines{R"({"kind": "crash", "at": "5s", "for": "4s", "target": ["n3", "n4", "n5"]})"});
}

TEST(IncidentImport, AGroupsHostsMayComeBackOneByOne) {
    EXPECT_EQ(fault_lines(k_header + event("22:52:00", "disk-full", "west") +
                          event("22:52:02", "disk-full-end", "db4") +
                          event("22:52:03", "disk-full-end", "db3") +
                          event("22:52:03", "disk-full-end", "db5")),
              (Lines{R"({"kind": "disk-full", "at": "5s", "for": "2s", "target": "n4"})",
                     R"({"kind": "disk-full", "at": "5s", "for": "3s", "target": ["n3", "n5"]})"}));
}

TEST(IncidentImport, ALinkDownBetweenGroupsIsAPartitionWithTheirSides) {
    EXPECT_EQ(
        fault_lines(k_header + event("22:52:00", "link-down", "east", R"(, "peer": "west")") +
                    event("22:52:43", "link-up", "west", R"(, "peer": "east")")),
        Lines{
            R"({"kind": "partition", "at": "5s", "for": "43s", "sides": [["n1", "n2", "c1"], ["n3", "n4", "n5"]]})"});
}

TEST(IncidentImport, OneWayLinksKeepTheirDirection) {
    EXPECT_EQ(
        fault_lines(k_header + event("22:52:00", "one-way-down", "db5", R"(, "peer": "east")") +
                    event("22:52:01", "one-way-up", "db5", R"(, "peer": "east")")),
        Lines{
            R"({"kind": "partition-one-way", "at": "5s", "for": "1s", "sides": [["n5"], ["n1", "n2", "c1"]]})"});
}

TEST(IncidentImport, EachLastingEventBecomesItsFaultKind) {
    const std::string events =
        event("22:52:00", "power-loss") + event("22:52:01", "power-loss-end") +
        event("22:52:02", "clock-drift", "db1", R"(, "value": -250)") +
        event("22:52:03", "clock-drift-end", "db1") + event("22:52:04", "disk-error", "db2") +
        event("22:52:05", "disk-error-end", "db2") +
        event("22:52:06", "disk-error", "db2", R"(, "value": "fsync")") +
        event("22:52:07", "disk-error-end", "db2") + event("22:52:08", "slow-disk", "db3") +
        event("22:52:09", "slow-disk-end", "db3");
    EXPECT_EQ(
        fault_lines(k_header + events),
        (Lines{
            R"({"kind": "power-loss", "at": "5s", "for": "1s"})",
            R"({"kind": "clock-drift", "at": "7s", "for": "1s", "target": "n1", "params": {"ppm": -250}})",
            R"({"kind": "latent-error", "at": "9s", "for": "1s", "target": "n2"})",
            R"({"kind": "fsync-error", "at": "11s", "for": "1s", "target": "n2"})",
            R"({"kind": "disk-stall", "at": "13s", "for": "1s", "target": "n3"})"}));
}

TEST(IncidentImport, InstantEventsBecomeInstantFaults) {
    const std::string events = event("22:52:00", "clock-jump", "west", R"(, "value": "-1.5s")") +
                               event("22:52:01", "process-crash", "db1") +
                               event("22:52:02", "process-crash", "db2", R"(, "value": "2s")");
    EXPECT_EQ(
        fault_lines(k_header + events),
        (Lines{
            R"({"kind": "clock-jump", "at": "5s", "target": ["n3", "n4", "n5"], "params": {"delta": "-1500ms"}})",
            R"({"kind": "restart", "at": "6s", "target": "n1"})",
            R"({"kind": "crash", "at": "7s", "for": "2s", "target": "n2"})"}));
}

TEST(IncidentImport, TheLedgerCrashesWorkerProcessesAndBurstsLoad) {
    const std::string header =
        R"({"name": "t", "workload": "ledger", "hosts": {"db1": "n1", "api2": "w2"}})"
        "\n";
    const std::string events = event("22:52:00", "load-burst", "", R"(, "value": "2.5")") +
                               event("22:52:01", "process-crash", "api2") +
                               event("22:52:03", "load-burst-end") +
                               event("22:52:04", "process-crash", "api2", R"(, "value": "3s")");
    EXPECT_EQ(
        fault_lines(header + events),
        (Lines{R"({"kind": "load-burst", "at": "5s", "for": "3s", "params": {"factor": 2.5}})",
               R"({"kind": "service-crash", "at": "6s", "for": "1s", "params": {"worker": 1}})",
               R"({"kind": "service-crash", "at": "9s", "for": "3s", "params": {"worker": 1}})"}));
}

TEST(IncidentImport, CountsDefaultToWhatTheHostsName) {
    const std::string file = converted(R"({"name": "t", "hosts": {"a": "n7", "b": "c5"}})"
                                       "\n" +
                                       event("22:52:00", "process-crash", "a"));
    EXPECT_NE(file.find(R"("cluster": {"nodes": 7})"), std::string::npos) << file;
    EXPECT_NE(file.find(R"("workload": {"type": "store", "clients": 5})"), std::string::npos)
        << file;
}

TEST(IncidentImport, CsvAndJsonLinesOfOneTimelineGiveOneScenario) {
    const std::string csv =
        "name,t\nnodes,5\nhost,db1,n1\nhost,db2,n2\ngroup,east,db1,db2\n"
        "time,event,host,peer,value,note\n"
        "2018-10-21T22:52:00Z,node-down,east,,,\"power, then a reboot\"\n"
        "2018-10-21T22:52:03Z,node-up,east,,,\n"
        "2018-10-21T22:52:04Z,clock-jump,db1,,2s,\n";
    const std::string jsonl =
        R"({"name": "t", "nodes": 5, "hosts": {"db1": "n1", "db2": "n2"}, "groups": {"east": ["db1", "db2"]}})"
        "\n" +
        event("22:52:00", "node-down", "east", R"(, "note": "power, then a reboot")") +
        event("22:52:03", "node-up", "east") +
        event("22:52:04", "clock-jump", "db1", R"(, "value": "2s")");
    EXPECT_EQ(converted(csv, "t.csv"), converted(jsonl, "t.csv"));
}

}  // namespace
}  // namespace stormlog::scenarios::incident
