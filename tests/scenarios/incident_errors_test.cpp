// Incident import refuses a malformed timeline with one line per problem, naming the file, the
// line and the field - and converts nothing.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/scenarios/incident_test_support.hpp"

namespace stormlog::scenarios::incident {
namespace {

using test_support::event;
using test_support::import_errors;
using test_support::k_header;

using Lines = std::vector<std::string>;

Lines errors_of_events(const std::string& events) {
    return import_errors(k_header + events);
}

TEST(IncidentErrors, AnUpWithoutADown) {
    EXPECT_EQ(errors_of_events(event("22:52:00", "node-up", "db1")),
              Lines{R"(t.jsonl:4: event: node-up on "db1" without a node-down before it)"});
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "link-up", "east", R"(, "peer": "west")")),
        Lines{
            R"(t.jsonl:4: event: link-up between "east" and "west" without a link-down before it)"});
}

TEST(IncidentErrors, ADownNeverBroughtUpIsRefusedAtItsLine) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "node-down", "west") +
                         event("22:52:01", "node-up", "db3")),
        (Lines{
            R"(t.jsonl:4: event: node-down on "db4" (of "west") never ends (add a node-up after it))",
            R"(t.jsonl:4: event: node-down on "db5" (of "west") never ends (add a node-up after it))"}));
}

TEST(IncidentErrors, ADownAgainBeforeItsUp) {
    EXPECT_EQ(errors_of_events(event("22:52:00", "slow-disk", "db1") +
                               event("22:52:01", "slow-disk", "db1") +
                               event("22:52:02", "slow-disk-end", "db1")),
              Lines{R"(t.jsonl:5: event: slow-disk on "db1" again, while line 4's has not ended)"});
}

TEST(IncidentErrors, AnUpAtItsDownsVeryTime) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "node-down", "db1") +
                         event("22:52:00", "node-up", "db1")),
        Lines{
            R"(t.jsonl:5: time: expected a time after line 4's node-down (a fault lasts more than 0s), got "2018-10-21T22:52:00Z")"});
}

TEST(IncidentErrors, UnknownHostsSuggestTheClosest) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "node-down", "db9")),
        Lines{
            R"(t.jsonl:4: host: expected a host or group of the header, got "db9" (did you mean "db1"?))"});
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "link-down", "east", R"(, "peer": "frankfurt")")),
        Lines{
            R"(t.jsonl:4: peer: expected a host or group of the header, got "frankfurt" (an unknown host))"});
}

TEST(IncidentErrors, TimesOutOfOrder) {
    EXPECT_EQ(
        errors_of_events(event("22:53:00", "node-down", "db1") +
                         event("22:52:00", "node-up", "db1")),
        Lines{
            R"(t.jsonl:5: time: expected a time at or after line 4's "2018-10-21T22:53:00Z" (events come in time order), got "2018-10-21T22:52:00Z")"});
}

TEST(IncidentErrors, AnEventBeforeTheStart) {
    EXPECT_EQ(
        import_errors(R"({"name": "t", "start": "2018-10-21T23:00:00Z", "hosts": {"db1": "n1"}})"
                      "\n" +
                      event("22:52:00", "process-crash", "db1")),
        Lines{
            R"(t.jsonl:2: time: expected a time at or after start (line 1), got "2018-10-21T22:52:00Z")"});
}

TEST(IncidentErrors, ABadTimestamp) {
    EXPECT_EQ(
        errors_of_events(event("25:00:00", "node-down", "db1")),
        Lines{
            R"(t.jsonl:4: time: expected an ISO-8601 timestamp like "2018-10-21T22:52:00Z", got "2018-10-21T25:00:00Z" (no such time of day 25:00:00))"});
    EXPECT_EQ(
        errors_of_events(R"({"time": 1540162320, "event": "node-down", "host": "db1"})"
                         "\n"),
        Lines{
            R"(t.jsonl:4: time: expected an ISO-8601 timestamp like "2018-10-21T22:52:00Z", got 1540162320)"});
}

TEST(IncidentErrors, BadCsvQuoting) {
    EXPECT_EQ(import_errors("name,t\nhost,db1,n1\ntime,event,host,note\n"
                            "2018-10-21T22:52:00Z,node-down,db1,\"unfinished\n",
                            "t.csv"),
              Lines{R"(t.csv:4:36: malformed CSV: a quoted cell does not end on its line)"});
    EXPECT_EQ(
        import_errors(
            "name,t\nhost,db1,n1\ntime,event,host\n2018-10-21T22:52:00Z,node-\"down,db1\n",
            "t.csv"),
        Lines{
            R"(t.csv:4:27: malformed CSV: a quote inside an unquoted cell (quote the whole cell and double the quotes in it))"});
}

TEST(IncidentErrors, CsvThatIsNotUtf8) {
    // Found by mutating the examples: the byte reached the scenario's JSON, whose writer threw.
    EXPECT_EQ(import_errors("name,t\ndescription,se\xCE"
                            "onds\n",
                            "t.csv"),
              Lines{R"(t.csv:2:15: malformed CSV: not UTF-8 text)"});
}

TEST(IncidentErrors, MalformedJsonNamesLineAndColumn) {
    EXPECT_EQ(errors_of_events(R"({"time": "2018-10-21T22:52:00Z", })"
                               "\n"),
              Lines{R"(t.jsonl:4:34: malformed JSON: unexpected '}'; expected string literal)"});
    EXPECT_EQ(errors_of_events(R"({"time": "a", "time": "b", "event": "node-down"})"
                               "\n"),
              Lines{R"(t.jsonl:4: time: given twice)"});
    EXPECT_EQ(
        errors_of_events("[1, 2]\n"),
        Lines{
            R"(t.jsonl:4: expected a JSON object (one setting line or event per line), got an array)"});
}

TEST(IncidentErrors, UnknownEvents) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "node-dwn", "db1")),
        Lines{
            R"(t.jsonl:4: event: expected an event, got "node-dwn" (did you mean "node-down"?))"});
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "meteor", "db1")),
        Lines{
            R"(t.jsonl:4: event: expected an event ("node-down", "node-up", "power-loss", "power-loss-end", "link-down", "link-up", "one-way-down", "one-way-up", "process-crash", "clock-jump", "clock-drift", "clock-drift-end", "disk-error", "disk-error-end", "disk-full", "disk-full-end", "slow-disk", "slow-disk-end", "load-burst", "load-burst-end"), got "meteor")"});
}

TEST(IncidentErrors, MissingAndUnknownFields) {
    EXPECT_EQ(errors_of_events(R"({"event": "node-down", "host": "db1"})"
                               "\n"),
              Lines{R"(t.jsonl:4: time: missing (required))"});
    EXPECT_EQ(errors_of_events(event("22:52:00", "node-down")),
              Lines{R"(t.jsonl:4: host: missing (required for node-down))"});
    EXPECT_EQ(errors_of_events(event("22:52:00", "node-down", "", R"(, "hots": "db1")")),
              (Lines{R"(t.jsonl:4: hots: unknown field (did you mean "host"?))",
                     R"(t.jsonl:4: host: missing (required for node-down))"}));
    EXPECT_EQ(errors_of_events(event("22:52:00", "power-loss", "db1")),
              Lines{R"(t.jsonl:4: host: not allowed: power-loss acts on the whole cluster)"});
    EXPECT_EQ(errors_of_events(event("22:52:00", "node-down", "db1", R"(, "peer": "db2")")),
              Lines{R"(t.jsonl:4: peer: not allowed: node-down names one host or group, in host)"});
}

TEST(IncidentErrors, ValuesByEventKind) {
    EXPECT_EQ(errors_of_events(event("22:52:00", "clock-jump", "db1")),
              Lines{R"(t.jsonl:4: value: missing (required for clock-jump))"});
    EXPECT_EQ(errors_of_events(event("22:52:00", "node-down", "db1", R"(, "value": "5s")")),
              Lines{R"(t.jsonl:4: value: not allowed: node-down takes no value)"});
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "clock-drift", "db1", R"(, "value": "fast")") +
                         event("22:52:01", "clock-drift-end", "db1", R"(, "value": 5)")),
        (Lines{
            R"(t.jsonl:4: value: expected a drift in ppm, an integer in -500000..500000, got "fast")",
            R"(t.jsonl:5: value: not allowed: clock-drift-end takes no value (its start's holds))"}));
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "clock-jump", "db1", R"(, "value": "2h")")),
        Lines{
            R"(t.jsonl:4: value: expected a clock jump like "5s" or "-500ms" (at most 1h either way), got "2h")"});
}

TEST(IncidentErrors, NodeFaultsActOnClusterNodes) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "node-down", "east")),
        Lines{R"(t.jsonl:4: host: expected hosts on cluster nodes, got "east" (it holds c1))"});
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "process-crash", "app1")),
        Lines{
            R"(t.jsonl:4: host: expected hosts on cluster nodes (or, with workload "ledger", on its workers), got "app1" (it maps to c1))"});
}

TEST(IncidentErrors, LinksNeedTwoSidesApart) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "link-down", "east", R"(, "peer": "db1")")),
        Lines{
            R"(t.jsonl:4: peer: expected a host or group that shares no node with host "east", got "db1" (both hold n1))"});
    EXPECT_EQ(
        import_errors(R"({"name": "t", "hosts": {"a": "c1", "b": "c2"}})"
                      "\n" +
                      event("22:52:00", "link-down", "a", R"(, "peer": "b")")),
        Lines{
            R"(t.jsonl:2: peer: a link between two client nodes is never cut: name a host on a cluster node on one side)"});
}

TEST(IncidentErrors, LoadBurstNeedsTheLedger) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "load-burst") + event("22:52:01", "load-burst-end")),
        (Lines{
            R"(t.jsonl:4: event: load-burst needs workload "ledger" (workload "store" has no load to burst))",
            R"(t.jsonl:5: event: load-burst needs workload "ledger" (workload "store" has no load to burst))"}));
}

TEST(IncidentErrors, HeaderSettings) {
    EXPECT_EQ(
        import_errors(R"({"nodes": 5, "hosts": {"db1": "n1"}})"
                      "\n" +
                      event("22:52:00", "process-crash", "db1")),
        Lines{
            R"(t.jsonl: name: missing (required: the scenario's name, 1..64 of a-z, 0-9 and -))"});
    EXPECT_EQ(import_errors(R"({"name": "t", "nodse": 5, "workload": "kv", "hosts": {"db1": "n1"}})"
                            "\n"
                            R"({"name": "u"})"
                            "\n" +
                            event("22:52:00", "process-crash", "db1")),
              (Lines{R"(t.jsonl:1: nodse: unknown setting (did you mean "nodes"?))",
                     R"(t.jsonl:1: workload: expected "store" or "ledger", got "kv")",
                     R"(t.jsonl:2: name: given twice (first on line 1))"}));
    EXPECT_EQ(
        import_errors(
            R"({"name": "T!", "tail": "5s", "start": "yesterday", "hosts": {"db1": "n1"}})"
            "\n" +
            event("22:52:00", "process-crash", "db1")),
        (Lines{
            R"(t.jsonl:1: name: expected a name of 1..64 of a-z, 0-9 and -, got "T!")",
            R"(t.jsonl:1: start: expected an ISO-8601 timestamp like "2018-10-21T22:52:00Z", got "yesterday" (not a date YYYY-MM-DD))",
            R"(t.jsonl:1: tail: expected a tail longer than the quiet period (budget "within" heals every fault by the quiet period, and the last event may end one), got tail 5s, quiet_period 5s)"}));
}

TEST(IncidentErrors, HostsAndGroups) {
    EXPECT_EQ(
        import_errors(R"({"name": "t", "nodes": 3, "hosts": {"a": "n1", "b": "n1", "z": "n9"}})"
                      "\n"
                      R"({"hosts": {"a": "n2"}, "groups": {"g": ["a", "zz"], "a": ["b"]}})"
                      "\n" +
                      event("22:52:00", "process-crash", "a")),
        (Lines{
            R"(t.jsonl:1: host "b": expected a node no other host maps to, got "n1" (host "a", line 1))",
            R"(t.jsonl:1: host "z": expected a cluster node "n1".."n3" or a store client node "c1".."c3" (settings nodes and clients), got "n9")",
            R"(t.jsonl:2: host "a": given twice (first on line 1))",
            R"(t.jsonl:2: group "a": is also a host's name (a name is a host or a group))",
            R"(t.jsonl:2: group "g": expected hosts the header maps to nodes, got "zz")"}));
}

TEST(IncidentErrors, SettingsComeBeforeTheEvents) {
    EXPECT_EQ(
        errors_of_events(event("22:52:00", "process-crash", "db1") + R"({"tail": "9s"})"
                                                                     "\n"),
        Lines{R"(t.jsonl:5: settings, hosts and groups come before the first event (line 4))"});
}

TEST(IncidentErrors, CsvHeaderRowAndCells) {
    EXPECT_EQ(
        import_errors("name,t\nhost,db1,n1\nhost,db2\ntime,event,hots,host\n"
                      "2018-10-21T22:52:00Z,process-crash,,db1,x\n",
                      "t.csv"),
        (Lines{
            R"(t.csv:3: expected a setting row host,HOST,NODE (or the header row time,event,...), got 2 cells)",
            R"(t.csv:4: column 3: expected a column name ("time", "event", "host", "peer", "value", "note"), got "hots" (did you mean "host"?))",
            R"(t.csv:5: expected at most 4 cells (the header row's columns), got 5)"}));
    EXPECT_EQ(import_errors("name,t\ntime,host\n", "t.csv"),
              Lines{R"(t.csv:2: the header row has no "event" column)"});
    EXPECT_EQ(import_errors("name,t\n", "t.csv"),
              Lines{R"(t.csv: no events (each line after the header: time, event, host, ...))"});
}

TEST(IncidentErrors, AScenarioProblemIsToldAtTheEventsLine) {
    // One node, crashed: under budget "within" that never fits.
    const Lines errors =
        import_errors(R"({"name": "t", "hosts": {"db1": "n1"}})"
                      "\n" +
                      event("22:52:00", "node-down", "db1") + event("22:52:01", "node-up", "db1"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].rfind(R"(t.jsonl:2: scenario faults[0]: never fits budget "within": )", 0),
              0u)
        << errors[0];
}

TEST(IncidentErrors, ManyProblemsAreCapped) {
    std::string events;
    for (int i = 0; i < 150; ++i) events += event("22:52:00", "meteor", "db1");
    const Lines errors = errors_of_events(events);
    ASSERT_EQ(errors.size(), 101u);
    EXPECT_EQ(errors.back(), "t.jsonl: 50 more errors not shown");
}

}  // namespace
}  // namespace stormlog::scenarios::incident
