#pragma once
// Incident timelines: what happened in production, line by line, with wall-clock times - read and
// checked here, turned into a scenario by incident.hpp. docs/incident-format.md has the same
// format with examples.
//
// THE FORMAT. A text file, one record per line; blank lines and lines starting with "#" are
// skipped. JSON lines when the first other line starts with "{", CSV otherwise. First a header of
// settings, hosts and groups, then the events, in time order.
//
//   JSON lines                                  CSV (rows above the header row)
//   {"name": "db-outage", "nodes": 5}           name,db-outage      nodes,5
//   {"hosts": {"db1": "n1", "app1": "c1"}}      host,db1,n1         host,app1,c1
//   {"groups": {"east": ["db1", "app1"]}}       group,east,db1,app1
//   {"time": "...", "event": "...", ...}        time,event,host,peer,value,note   (the header row:
//                                               it starts with "time"; columns in any order after)
//
// Settings (each at most once):
//   name          1..64 of [a-z0-9-], required       the scenario's name
//   description   non-empty text                     "imported by stormlog incident from FILE"
//   workload      "store" or "ledger"                "store"
//   nodes         integer 1..15                      the highest n<i> a host maps to
//   clients       integer 1..100                     max(3, the highest client a host maps to)
//   start         a timestamp                        the first event's time
//   lead_in       a duration (time zero is start - lead_in: the cluster elects a leader and
//                 takes load before the incident)    "5s"
//   tail          a duration longer than quiet_period: the run goes on this long after the last
//                 event                              "10s"
//   quiet_period  a duration (the scenario's)        "5s"
//   budget        "within" or "beyond"               "within"
//   expect        "pass" or "fail"                   "pass"
// Hosts map an incident's host names to stormlog nodes: cluster nodes "n1".."n<nodes>", or the
// workload's client nodes ("c1".. for store, "w1".. for ledger workers), each node at most one
// host. Groups name sets of hosts (a data centre, a rack); a name is a host or a group, not both.
//
// Events (fields time, event, host, peer, value, note; note is free text, kept out of the
// scenario):
//   time   a timestamp "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (a space may stand for
//          the T), never before the event above it
//   event  start         end              host, peer              value        fault
//          node-down     node-up          host or group           -            crash
//          power-loss    power-loss-end   -                       -            power-loss
//          link-down     link-up          two hosts/groups        -            partition (sides)
//          one-way-down  one-way-up       from, to                -            partition-one-way
//          process-crash (instant)        host or group           down for     restart; crash
//                                                                 (optional)   with a value;
//                                                                              service-crash on
//                                                                              a ledger worker
//          clock-jump    (instant)        host or group           delta ("-2s") clock-jump
//          clock-drift   clock-drift-end  host or group           ppm          clock-drift
//          disk-error    disk-error-end   host or group           latent|fsync latent-error or
//                                                                              fsync-error
//          disk-full     disk-full-end    host or group           -            disk-full
//          slow-disk     slow-disk-end    host or group           -            disk-stall
//          load-burst    load-burst-end   -                       factor       load-burst (ledger)
// An end closes what its start opened on the same nodes (a group's end may close its hosts'
// starts one by one); link-up closes the link-down between the same two hosts or groups. Every
// start needs its end: the importer does not guess how long an outage lasted.
//
// ERRORS. Every problem is one line `FILE:LINE: FIELD: expected WHAT, got FOUND` (or another
// sentence after the field), malformed syntax `FILE:LINE:COLUMN: malformed CSV|JSON: REASON`.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/incident/events.hpp"
#include "scenarios/incident/problems.hpp"
#include "scenarios/incident/records.hpp"

namespace stormlog::scenarios::incident {

constexpr int64_t k_ns_per_s = 1'000'000'000;

struct Settings {
    std::string name;
    std::string description;  // empty: the default
    std::string workload = "store";
    int nodes = 0;    // resolved: given, or from the hosts
    int clients = 0;  // resolved: given, or from the hosts
    std::optional<int64_t> start_ns;
    int64_t lead_in_ns = 5 * k_ns_per_s;
    int64_t tail_ns = 10 * k_ns_per_s;
    int64_t quiet_period_ns = 5 * k_ns_per_s;
    std::string budget = "within";
    std::string expect = "pass";
    std::map<std::string, size_t> lines;  // setting -> the line that set it
};

// What an event's value says, by its kind's ValueKind.
struct EventValue {
    int64_t duration_ns = 0;  // delta, down_for
    double number = 0;        // ppm, factor
    std::string choice;       // disk_error
    bool given = false;
};

struct Event {
    size_t line = 0;
    const EventKind* kind = nullptr;
    bool is_end = false;
    std::string name;  // as written: the start's or the end's
    int64_t time_ns = 0;
    std::string time_text;
    std::string host, peer;                           // as written; empty when not given
    std::vector<std::string> host_nodes, peer_nodes;  // the nodes they stand for, in node order
    EventValue value;
};

struct Timeline {
    Settings settings;
    std::map<std::string, std::string> node_of;              // host -> node
    std::map<std::string, std::vector<std::string>> groups;  // group -> hosts
    std::vector<Event> events;                               // in time order
};

// Checks the records' settings, hosts, groups and events; the pairing of starts and ends is
// pairing.hpp's. Returns false when a problem was found (each one in `problems`).
bool read_timeline(const Records& records, Problems& problems, Timeline& out);

// "n3" < "n10" < "c1": cluster nodes first, each kind by number.
bool node_order(const std::string& a, const std::string& b);

}  // namespace stormlog::scenarios::incident
