#include "scenarios/incident/timeline.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "faults/catalogue.hpp"
#include "scenarios/incident/field_values.hpp"
#include "scenarios/incident/header.hpp"
#include "scenarios/incident/iso_time.hpp"
#include "scenarios/json_reader.hpp"
#include "sim/assert.hpp"
#include "sim/text.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios::incident {
namespace {

constexpr std::array<std::string_view, 6> k_event_fields = {"time", "event", "host",
                                                            "peer", "value", "note"};
constexpr std::string_view k_time_example = "an ISO-8601 timestamp like \"2018-10-21T22:52:00Z\"";

// The catalogue's range of a fault kind's parameter: what the scenario will accept.
const faults::ParamInfo& param_info(std::string_view kind, std::string_view param) {
    const faults::FaultKindInfo* k = faults::find_kind(kind);
    SL_ASSERT(k != nullptr);
    const faults::ParamInfo* p = faults::find_param(*k, param);
    SL_ASSERT(p != nullptr);
    return *p;
}

// Reads the value of a start event by its kind; false (and a problem) when it is wrong.
bool read_value(const Json& v, const EventKind& kind, size_t line, EventValue& out, Problems& p) {
    out.given = true;
    switch (kind.value) {
        case ValueKind::none:
            p.at(line, "value", "not allowed: " + std::string(kind.name) + " takes no value");
            return false;
        case ValueKind::delta: {
            const faults::ParamInfo& info = param_info("clock-jump", "delta");
            const auto d = duration_of(v, true);
            if (d && *d >= info.min && *d <= info.max) {
                out.duration_ns = *d;
                return true;
            }
            p.expected(line, "value",
                       "a clock jump like \"5s\" or \"-500ms\" (at most 1h either way)",
                       describe(v));
            return false;
        }
        case ValueKind::ppm: {
            const faults::ParamInfo& info = param_info("clock-drift", "ppm");
            const auto n =
                integer_of(v, static_cast<int64_t>(info.min), static_cast<int64_t>(info.max));
            if (n) out.number = static_cast<double>(*n);
            if (!n)
                p.expected(line, "value", "a drift in ppm, an integer in -500000..500000",
                           describe(v));
            return n.has_value();
        }
        case ValueKind::factor: {
            const faults::ParamInfo& info = param_info("load-burst", "factor");
            const auto x = number_of(v, info.min, info.max);
            if (x) out.number = *x;
            if (!x) p.expected(line, "value", "a rate factor, a number in 1..100", describe(v));
            return x.has_value();
        }
        case ValueKind::disk_error: {
            const auto t = text_of(v);
            if (t && (*t == "latent" || *t == "fsync")) out.choice = *t;
            if (out.choice.empty())
                p.expected(line, "value", "\"latent\" (reads fail) or \"fsync\" (fsyncs fail)",
                           describe(v));
            return !out.choice.empty();
        }
        case ValueKind::down_for: {
            const auto d = duration_of(v, false);
            if (d && *d > 0) out.duration_ns = *d;
            if (!d || *d <= 0)
                p.expected(line, "value",
                           "how long the process stayed down, a duration like \"2s\"", describe(v));
            return d && *d > 0;
        }
    }
    return false;
}

std::vector<std::string_view> host_and_group_names(const Timeline& t) {
    std::vector<std::string_view> names;
    for (const auto& [host, node] : t.node_of) names.push_back(host);
    for (const auto& [group, hosts] : t.groups) names.push_back(group);
    return names;
}

// The nodes a host or group stands for, in node order; false (and a problem) for an unknown name.
bool resolve(const Timeline& t, const std::string& name, const std::string& field, size_t line,
             std::vector<std::string>& nodes, Problems& p) {
    if (const auto h = t.node_of.find(name); h != t.node_of.end()) {
        nodes = {h->second};
        return true;
    }
    if (const auto g = t.groups.find(name); g != t.groups.end()) {
        for (const std::string& host : g->second) nodes.push_back(t.node_of.at(host));
        std::sort(nodes.begin(), nodes.end(), node_order);
        return true;
    }
    const std::string hint = p.room() ? sim::did_you_mean(name, host_and_group_names(t)) : "";
    p.expected(line, field, "a host or group of the header",
               quote(name) + (hint.empty() ? " (an unknown host)" : hint));
    return false;
}

bool is_cluster_node(const std::string& node) {
    return node.starts_with("n");
}

// host and peer by the kind's scope: which must be given, which not, and what they stand for.
bool read_places(const Json& fields, const Timeline& t, Event& e, Problems& p) {
    const Scope scope = e.kind->scope;
    bool ok = true;
    for (const std::string_view key : {"host", "peer"}) {
        const Json* v = member(fields, key);
        const bool wanted = scope != Scope::cluster && (key == "host" || scope != Scope::hosts);
        std::string& name = key == "host" ? e.host : e.peer;
        std::vector<std::string>& nodes = key == "host" ? e.host_nodes : e.peer_nodes;
        if (v && !wanted) {
            p.at(e.line, std::string(key),
                 "not allowed: " + e.name +
                     (scope == Scope::cluster
                          ? " acts on the whole " +
                                std::string(e.kind->name == "power-loss" ? "cluster" : "workload")
                          : " names one host or group, in host"));
            ok = false;
        } else if (!v && wanted) {
            p.at(e.line, std::string(key), "missing (required for " + e.name + ")");
            ok = false;
        } else if (v) {
            const auto text = text_of(*v);
            if (!text) {
                p.expected(e.line, std::string(key), "a host or group name", describe(*v));
                ok = false;
            } else {
                name = *text;
                ok = resolve(t, name, std::string(key), e.line, nodes, p) && ok;
            }
        }
    }
    return ok;
}

// Where a kind may act: node faults on cluster nodes; a crashed process also on a ledger worker.
bool check_nodes(const Timeline& t, const Event& e, Problems& p) {
    if (e.kind->scope != Scope::hosts) return true;
    const bool workers_ok = e.kind->name == "process-crash" && t.settings.workload == "ledger";
    for (const std::string& node : e.host_nodes) {
        if (is_cluster_node(node) || workers_ok) continue;
        const std::string what = workers_ok || e.kind->name != "process-crash"
                                     ? "hosts on cluster nodes"
                                     : "hosts on cluster nodes (or, with workload \"ledger\", on "
                                       "its workers)";
        p.expected(e.line, "host", what,
                   quote(e.host) + " (" + (e.host_nodes.size() > 1 ? "it holds " : "it maps to ") +
                       node + ")");
        return false;
    }
    return true;
}

bool check_sides(const Event& e, Problems& p) {
    if (e.kind->scope != Scope::link && e.kind->scope != Scope::one_way) return true;
    for (const std::string& node : e.peer_nodes) {
        if (std::find(e.host_nodes.begin(), e.host_nodes.end(), node) == e.host_nodes.end())
            continue;
        p.expected(e.line, "peer", "a host or group that shares no node with host " + quote(e.host),
                   quote(e.peer) + " (both hold " + node + ")");
        return false;
    }
    const auto cluster = [](const std::vector<std::string>& nodes) {
        return std::any_of(nodes.begin(), nodes.end(), is_cluster_node);
    };
    if (cluster(e.host_nodes) || cluster(e.peer_nodes)) return true;
    p.at(e.line, "peer",
         "a link between two client nodes is never cut: name a host on a cluster node on one side");
    return false;
}

bool check_workload(const Timeline& t, const Event& e, Problems& p) {
    const workloads::Workload* w = workloads::find_workload(t.settings.workload);
    SL_ASSERT(w != nullptr && "the header accepts registered workloads only");
    if (e.kind->name != "load-burst" || w->carries_out("load-burst")) return true;
    p.at(e.line, "event",
         std::string(e.kind->name) + " needs workload \"ledger\" (workload \"" +
             t.settings.workload + "\" has no load to burst)");
    return false;
}

bool read_time(const Json& fields, Event& e, Problems& p) {
    const Json* v = member(fields, "time");
    if (!v) {
        p.at(e.line, "time", "missing (required)");
        return false;
    }
    const auto text = text_of(*v);
    const IsoTime time = text ? parse_iso_time(*text) : IsoTime{};
    if (!time.ns) {
        p.expected(e.line, "time", std::string(k_time_example),
                   describe(*v) + (text ? " (" + time.why_not + ")" : ""));
        return false;
    }
    e.time_ns = *time.ns;
    e.time_text = *text;
    return true;
}

bool read_kind(const Json& fields, Event& e, Problems& p) {
    const Json* v = member(fields, "event");
    if (!v) {
        p.at(e.line, "event", "missing (required)");
        return false;
    }
    const auto text = text_of(*v);
    if (text) e.kind = find_event(*text, e.is_end);
    if (e.kind) {
        e.name = *text;
        return true;
    }
    const auto names = event_names();
    const std::string hint = text ? sim::did_you_mean(*text, names) : "";
    // The list is long: it is shown only when no name is close to what was written.
    p.expected(e.line, "event",
               hint.empty() ? "an event (" + sim::quoted_list(names) + ")" : "an event",
               describe(*v) + hint);
    return false;
}

// One event line. Its time is read even when the rest is wrong, so the next line's order is
// still checked against it.
bool read_event(const Record& rec, const Timeline& t, Event& e, Problems& p) {
    const size_t before = p.count();
    e.line = rec.line;
    for (auto it = rec.fields.begin(); it != rec.fields.end(); ++it) {
        if (std::find(k_event_fields.begin(), k_event_fields.end(), it.key()) !=
            k_event_fields.end())
            continue;
        const std::string hint = sim::did_you_mean(it.key(), k_event_fields);
        p.at(e.line, key_path("", it.key()),
             "unknown field" +
                 (hint.empty() ? " (fields: " + sim::quoted_list(k_event_fields) + ")" : hint));
    }
    read_time(rec.fields, e, p);
    if (!read_kind(rec.fields, e, p)) return false;
    if (read_places(rec.fields, t, e, p)) {
        check_nodes(t, e, p);
        check_sides(e, p);
    }
    check_workload(t, e, p);
    if (const Json* v = member(rec.fields, "value")) {
        if (e.is_end)
            p.at(e.line, "value", "not allowed: " + e.name + " takes no value (its start's holds)");
        else
            read_value(*v, *e.kind, e.line, e.value, p);
    } else if (!e.is_end && e.kind->value_required) {
        p.at(e.line, "value", "missing (required for " + e.name + ")");
    }
    return p.count() == before;
}

// Events come in time order, never before the start.
void check_order(const Event& e, const Settings& s, const Event* previous, Problems& p) {
    if (previous != nullptr && e.time_ns < previous->time_ns) {
        p.expected(e.line, "time",
                   "a time at or after line " + std::to_string(previous->line) + "'s " +
                       quote(previous->time_text) + " (events come in time order)",
                   quote(e.time_text));
    } else if (s.start_ns && e.time_ns < *s.start_ns) {
        p.expected(e.line, "time",
                   "a time at or after start (line " + std::to_string(s.lines.at("start")) + ")",
                   quote(e.time_text));
    }
}

}  // namespace

bool read_timeline(const Records& records, Problems& problems, Timeline& out) {
    const size_t before = problems.count();
    const bool header_ok = read_header(records.header, problems, out);
    if (records.events.empty()) {
        problems.file("no events (each line after the header: time, event, host, ...)");
        return false;
    }
    // Hosts the header got wrong would make every event that names them an error too.
    if (!header_ok) return false;
    std::optional<Event> previous;
    for (const Record& rec : records.events) {
        Event e;
        const bool ok = read_event(rec, out, e, problems);
        if (!e.time_text.empty()) {
            check_order(e, out.settings, previous ? &*previous : nullptr, problems);
            previous = e;
        }
        if (ok) out.events.push_back(std::move(e));
    }
    return problems.count() == before;
}

bool node_order(const std::string& a, const std::string& b) {
    const auto key = [](const std::string& s) {
        return std::pair(s.starts_with("n") ? 0 : 1, s.size() > 1 ? std::stoi(s.substr(1)) : 0);
    };
    return key(a) < key(b);
}

}  // namespace stormlog::scenarios::incident
