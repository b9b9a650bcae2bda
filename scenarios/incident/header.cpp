#include "scenarios/incident/header.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include "scenarios/incident/field_values.hpp"
#include "scenarios/incident/iso_time.hpp"
#include "scenarios/json_reader.hpp"
#include "scenarios/scenario_writer.hpp"
#include "sim/text.hpp"

namespace stormlog::scenarios::incident {
namespace {

constexpr int k_nodes_max = 15;     // the scenario format's cluster.nodes
constexpr int k_clients_max = 100;  // and workload.clients
constexpr int k_clients_default = 3;
constexpr int k_nodes_default = 3;
constexpr int64_t k_day_ns = 24 * 3600 * k_ns_per_s;  // a run lasts at most a day
constexpr size_t k_name_bytes_max = 64;
// At most 115 hosts can map to distinct nodes (15 + 100); groups are bounded so that a message's
// "did you mean" search over every name stays cheap.
constexpr size_t k_hosts_max = 1000;
constexpr size_t k_groups_max = 1000;

// One setting: the key, what it must be (for messages), and how it is read into Settings. `hint`
// may say what exactly is wrong with a value that was refused.
struct SettingReader {
    std::string_view key;
    std::string_view want;
    std::function<bool(const Json&, Settings&, std::string& hint)> read;
};

bool is_name(const std::string& s) {
    return !s.empty() && s.size() <= k_name_bytes_max &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

// Host and group names as inventories and logs write them: letters, digits, . _ : -.
bool is_host_name(const std::string& s) {
    return !s.empty() && s.size() <= k_name_bytes_max &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == ':' || c == '-';
           });
}

template <class F>
SettingReader text_setting(std::string_view key, std::string_view want, F&& check_and_store) {
    return {key, want,
            [f = std::forward<F>(check_and_store)](const Json& v, Settings& s, std::string&) {
                const auto t = text_of(v);
                return t && f(*t, s);
            }};
}

SettingReader duration_setting(std::string_view key, std::string_view want, bool zero_ok,
                               int64_t Settings::*field) {
    return {key, want, [zero_ok, field](const Json& v, Settings& s, std::string&) {
                const auto d = duration_of(v, false);
                if (!d || *d > k_day_ns || (*d == 0 && !zero_ok)) return false;
                s.*field = *d;
                return true;
            }};
}

SettingReader count_setting(std::string_view key, std::string_view want, int max,
                            int Settings::*field) {
    return {key, want, [max, field](const Json& v, Settings& s, std::string&) {
                const auto n = integer_of(v, 1, max);
                if (n) s.*field = static_cast<int>(*n);
                return n.has_value();
            }};
}

const std::vector<SettingReader>& setting_readers() {
    static const std::vector<SettingReader> readers = {
        text_setting("name", "a name of 1..64 of a-z, 0-9 and -",
                     [](const std::string& t, Settings& s) {
                         s.name = t;
                         return is_name(t);
                     }),
        text_setting("description", "a non-empty text",
                     [](const std::string& t, Settings& s) {
                         s.description = t;
                         return !t.empty();
                     }),
        text_setting("workload", "\"store\" or \"ledger\"",
                     [](const std::string& t, Settings& s) {
                         s.workload = t;
                         return t == "store" || t == "ledger";
                     }),
        count_setting("nodes", "an integer in 1..15", k_nodes_max, &Settings::nodes),
        count_setting("clients", "an integer in 1..100", k_clients_max, &Settings::clients),
        {"start", "an ISO-8601 timestamp like \"2018-10-21T22:52:00Z\"",
         [](const Json& v, Settings& s, std::string& hint) {
             const auto t = text_of(v);
             const IsoTime time = t ? parse_iso_time(*t) : IsoTime{};
             if (t && !time.ns) hint = " (" + time.why_not + ")";
             s.start_ns = time.ns;
             return time.ns.has_value();
         }},
        duration_setting("lead_in", "a duration like \"5s\" (at most 24h)", true,
                         &Settings::lead_in_ns),
        duration_setting("tail", "a duration above 0 like \"10s\" (at most 24h)", false,
                         &Settings::tail_ns),
        duration_setting("quiet_period", "a duration like \"5s\" (at most 24h)", true,
                         &Settings::quiet_period_ns),
        text_setting("budget", "\"within\" or \"beyond\"",
                     [](const std::string& t, Settings& s) {
                         s.budget = t;
                         return t == "within" || t == "beyond";
                     }),
        text_setting("expect", "\"pass\" or \"fail\"",
                     [](const std::string& t, Settings& s) {
                         s.expect = t;
                         return t == "pass" || t == "fail";
                     }),
    };
    return readers;
}

struct RawHost {
    std::string host, node;
    size_t line;
};

struct RawGroup {
    std::string group;
    Json hosts;
    size_t line;
};

// The header's records, gathered before any is checked against another: a host's node depends on
// the workload, which may be set on a later line.
struct RawHeader {
    std::vector<RawHost> hosts;
    std::vector<RawGroup> groups;
};

std::vector<std::string_view> header_keys() {
    std::vector<std::string_view> keys;
    for (const SettingReader& r : setting_readers()) keys.push_back(r.key);
    keys.push_back("hosts");
    keys.push_back("groups");
    return keys;
}

void read_setting(const SettingReader& reader, const Record& rec, const Json& v, Settings& s,
                  Problems& p) {
    const std::string key(reader.key);
    if (const auto it = s.lines.find(key); it != s.lines.end()) {
        p.at(rec.line, key, "given twice (first on line " + std::to_string(it->second) + ")");
        return;
    }
    s.lines[key] = rec.line;
    std::string hint;
    if (!reader.read(v, s, hint))
        p.expected(rec.line, key, std::string(reader.want), describe(v) + hint);
}

void read_record(const Record& rec, Settings& s, RawHeader& raw, Problems& p) {
    for (auto it = rec.fields.begin(); it != rec.fields.end(); ++it) {
        const std::string& key = it.key();
        const Json& v = it.value();
        if (key == "hosts" || key == "groups") {
            if (!v.is_object()) {
                p.expected(rec.line, key, "an object", describe(v));
                continue;
            }
            for (auto h = v.begin(); h != v.end(); ++h) {
                if (raw.hosts.size() + raw.groups.size() >= k_hosts_max + k_groups_max) {
                    p.at(rec.line, key,
                         "more than " + std::to_string(k_hosts_max) + " hosts and " +
                             std::to_string(k_groups_max) + " groups");
                    return;
                }
                if (key == "groups") {
                    raw.groups.push_back(RawGroup{h.key(), h.value(), rec.line});
                } else if (const auto node = text_of(h.value())) {
                    raw.hosts.push_back(RawHost{h.key(), *node, rec.line});
                } else {
                    p.expected(rec.line, "host " + quote(h.key()), "a node name like \"n1\"",
                               describe(h.value()));
                }
            }
            continue;
        }
        const auto& readers = setting_readers();
        const auto r = std::find_if(readers.begin(), readers.end(),
                                    [&](const SettingReader& x) { return x.key == key; });
        if (r != readers.end()) {
            read_setting(*r, rec, v, s, p);
            continue;
        }
        const auto keys = header_keys();
        const std::string hint = sim::did_you_mean(key, keys);
        p.at(rec.line, key.empty() ? "\"\"" : key_path("", key),
             "unknown setting" +
                 (hint.empty() ? " (settings: " + sim::quoted_list(keys) + ")" : hint));
    }
}

}  // namespace

namespace {

std::string node_range(const std::string& prefix, int count) {
    return "\"" + prefix + "1\"..\"" + prefix + std::to_string(count) + "\"";
}

// The node counts: given, or as many as the hosts name (at least the scenario's defaults).
void resolve_counts(const std::vector<RawHost>& hosts, Settings& s) {
    int nodes_named = 0, clients_named = 0;
    for (const RawHost& h : hosts) {
        if (const auto n = parse_node_name(h.node, s.workload))
            (n->cluster ? nodes_named : clients_named) =
                std::max(n->cluster ? nodes_named : clients_named, n->number);
    }
    if (s.nodes == 0)
        s.nodes = std::min(k_nodes_max, nodes_named > 0 ? nodes_named : k_nodes_default);
    if (s.clients == 0)
        s.clients = std::min(k_clients_max, std::max(k_clients_default, clients_named));
}

void read_hosts(const std::vector<RawHost>& hosts, Timeline& t, Problems& p) {
    const Settings& s = t.settings;
    std::map<std::string, const RawHost*> host_of_node;
    std::map<std::string, size_t> line_of_host;
    const std::string clients = client_prefix(s.workload);
    for (const RawHost& h : hosts) {
        const std::string field = "host " + quote(h.host);
        const auto node = parse_node_name(h.node, s.workload);
        if (!is_host_name(h.host)) {
            p.at(h.line, "hosts",
                 "expected a host name of 1..64 letters, digits, '.', '_', ':' or '-', got " +
                     quote(h.host));
        } else if (const auto seen = line_of_host.find(h.host); seen != line_of_host.end()) {
            p.at(h.line, field, "given twice (first on line " + std::to_string(seen->second) + ")");
        } else if (!node || (node->cluster && node->number > s.nodes) ||
                   (!node->cluster && node->number > s.clients)) {
            p.expected(h.line, field,
                       "a cluster node " + node_range("n", s.nodes) + " or a " + s.workload +
                           " client node " + node_range(clients, s.clients) +
                           " (settings nodes and clients)",
                       quote(h.node));
        } else if (const auto other = host_of_node.find(h.node); other != host_of_node.end()) {
            p.expected(h.line, field, "a node no other host maps to",
                       quote(h.node) + " (host " + quote(other->second->host) + ", line " +
                           std::to_string(other->second->line) + ")");
        } else {
            host_of_node[h.node] = &h;
            t.node_of[h.host] = h.node;
        }
        line_of_host.emplace(h.host, h.line);
    }
}

void read_groups(const std::vector<RawGroup>& groups, Timeline& t, Problems& p) {
    std::map<std::string, size_t> line_of_group;
    for (const RawGroup& g : groups) {
        const std::string field = "group " + quote(g.group);
        if (!is_host_name(g.group)) {
            p.at(g.line, "groups",
                 "expected a group name of 1..64 letters, digits, '.', '_', ':' or '-', got " +
                     quote(g.group));
            continue;
        }
        if (const auto seen = line_of_group.find(g.group); seen != line_of_group.end()) {
            p.at(g.line, field, "given twice (first on line " + std::to_string(seen->second) + ")");
            continue;
        }
        line_of_group.emplace(g.group, g.line);
        if (t.node_of.contains(g.group)) {
            p.at(g.line, field, "is also a host's name (a name is a host or a group)");
            continue;
        }
        if (!g.hosts.is_array() || g.hosts.empty()) {
            p.expected(g.line, field, "a non-empty array of hosts", describe(g.hosts));
            continue;
        }
        std::vector<std::string> members;
        for (const Json& h : g.hosts) {
            const auto name = text_of(h);
            if (!name || !t.node_of.contains(*name)) {
                p.expected(g.line, field, "hosts the header maps to nodes", describe(h));
            } else if (std::find(members.begin(), members.end(), *name) != members.end()) {
                p.at(g.line, field, quote(*name) + " given twice");
            } else {
                members.push_back(*name);
            }
        }
        if (members.size() == g.hosts.size()) t.groups[g.group] = std::move(members);
    }
}

}  // namespace

std::optional<NodeName> parse_node_name(const std::string& s, const std::string& workload) {
    const std::string clients = client_prefix(workload);
    const bool cluster = s.starts_with("n");
    if (!cluster && !s.starts_with(clients)) return std::nullopt;
    // At most three digits, no leading zero: as the scenario format reads "n<i>".
    if (s.size() < 2 || s.size() > 4 || s[1] == '0') return std::nullopt;
    int n = 0;
    for (char c : s.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return NodeName{cluster, n};
}

std::string client_prefix(const std::string& workload) {
    return workload == "ledger" ? "w" : "c";
}

bool read_header(const std::vector<Record>& header, Problems& problems, Timeline& out) {
    const size_t before = problems.count();
    RawHeader raw;
    for (const Record& rec : header) read_record(rec, out.settings, raw, problems);
    Settings& s = out.settings;
    if (!s.lines.contains("name"))
        problems.file("name: missing (required: the scenario's name, 1..64 of a-z, 0-9 and -)");
    if (s.budget == "within" && s.tail_ns <= s.quiet_period_ns) {
        const std::string key = s.lines.contains("tail") ? "tail" : "quiet_period";
        problems.expected(s.lines[key], key,
                          "a tail longer than the quiet period (budget \"within\" heals every "
                          "fault by the quiet period, and the last event may end one)",
                          "tail " + exact_duration(sim::Duration::nanos(s.tail_ns)) +
                              ", quiet_period " +
                              exact_duration(sim::Duration::nanos(s.quiet_period_ns)));
    }
    resolve_counts(raw.hosts, s);
    read_hosts(raw.hosts, out, problems);
    read_groups(raw.groups, out, problems);
    return problems.count() == before;
}

}  // namespace stormlog::scenarios::incident
