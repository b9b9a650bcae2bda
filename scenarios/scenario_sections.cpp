// The settings of a scenario file: name, description, cluster, network, disk, workload, duration,
// budget, quiet period, expect and properties (the format: scenario_file.hpp).

#include <algorithm>
#include <array>
#include <string_view>

#include "scenarios/scenario_reading.hpp"
#include "sim/size.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

constexpr size_t k_name_length_max = 64;
constexpr int64_t k_nodes_default_max = 15;  // a workload named nowhere, or unknown
constexpr int64_t k_clients_max = 100;
constexpr int64_t k_streams_max = 1000;
constexpr double k_rate_max = 100000;
constexpr int64_t k_event_bytes_max = 64 * 1024;  // the store's bound on one event's data
constexpr uint64_t k_capacity_bytes_min = uint64_t{1} << 20;
constexpr uint64_t k_capacity_bytes_max = uint64_t{1} << 40;
constexpr Duration k_duration_max = Duration::minutes(24 * 60);

constexpr std::array<std::string_view, 4> k_cluster_keys = {"nodes", "heartbeat",
                                                            "election_timeout", "snapshot_every"};
constexpr std::array<std::string_view, 5> k_network_keys = {"latency", "latency_shape", "loss",
                                                            "duplicate", "corrupt"};
constexpr std::array<std::string_view, 5> k_disk_keys = {
    "write_latency", "read_latency", "fsync_latency", "capacity", "torn_write_probability"};
constexpr std::array<std::string_view, 2> k_read_targets = {"leader", "any"};
constexpr std::array<std::string_view, 2> k_budgets = {"within", "beyond"};
constexpr std::array<std::string_view, 2> k_expects = {"pass", "fail"};
constexpr std::array<std::string_view, 2> k_schedules = {"fuzz", "fifo"};

void read_name(Reader& r, const Json& v, const std::string& path, Scenario& s) {
    const auto name = r.string(v, path);
    if (!name) return;
    const bool ok = !name->empty() && name->size() <= k_name_length_max &&
                    std::all_of(name->begin(), name->end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                    });
    if (ok)
        s.name = *name;
    else
        r.expected(path, "1 to 64 lowercase letters, digits and \"-\"", v);
}

// The workload's bound on cluster.nodes, read ahead of the workload section: nodes are checked
// where they are read, so that one wrong count is reported once, before the faults that name
// nodes. The messaging workload goes to 1024; Raft's workloads stop at 15.
int64_t nodes_max(const Json& doc) {
    const auto w = doc.find("workload");
    if (w == doc.end() || !w->is_object()) {
        return workloads::registry().front()->nodes_max;  // the default workload
    }
    const auto type = w->find("type");
    if (type == w->end()) return workloads::registry().front()->nodes_max;
    const workloads::Workload* known =
        type->is_string() ? workloads::find_workload(type->get_ref<const std::string&>()) : nullptr;
    return known != nullptr ? known->nodes_max : k_nodes_default_max;
}

void read_cluster(Reader& r, const Json& v, const std::string& path, ClusterSpec& c, Context& ctx,
                  int64_t max_nodes) {
    if (!r.object(v, path, k_cluster_keys)) {
        ctx.nodes.reset();
        return;
    }
    with(v, path, "nodes", [&](const Json& x, const std::string& p) {
        const auto n = r.integer(x, p, 1, max_nodes);
        if (n) c.nodes = static_cast<int>(*n);
        ctx.nodes = n ? std::optional<int>(c.nodes) : std::nullopt;
    });
    with(v, path, "heartbeat", [&](const Json& x, const std::string& p) {
        if (const auto d = r.positive_duration(x, p)) c.heartbeat = *d;
    });
    with(v, path, "election_timeout", [&](const Json& x, const std::string& p) {
        if (const auto t = r.range(x, p, true)) {
            c.election_timeout_min = t->min;
            c.election_timeout_max = t->max;
        }
    });
    with(v, path, "snapshot_every", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 1, 1'000'000)) c.snapshot_every = static_cast<int>(*n);
    });
}

void read_probability(Reader& r, const Json& object, const std::string& path, std::string_view key,
                      double& out) {
    with(object, path, key, [&](const Json& x, const std::string& p) {
        if (const auto n = r.number(x, p, 0, 1)) out = *n;
    });
}

void read_network(Reader& r, const Json& v, const std::string& path, NetworkSpec& n) {
    if (!r.object(v, path, k_network_keys)) return;
    with(v, path, "latency", [&](const Json& x, const std::string& p) {
        if (const auto l = r.range(x, p)) {
            n.latency_min = l->min;
            n.latency_max = l->max;
        }
    });
    with(v, path, "latency_shape", [&](const Json& x, const std::string& p) {
        if (const auto s = r.number(x, p, 0.1, 10)) n.latency_shape = *s;
    });
    read_probability(r, v, path, "loss", n.loss);
    read_probability(r, v, path, "duplicate", n.duplicate);
    read_probability(r, v, path, "corrupt", n.corrupt);
}

void read_capacity(Reader& r, const Json& v, const std::string& path, uint64_t& out) {
    std::optional<uint64_t> bytes;
    if (v.is_number_unsigned())
        bytes = v.get<uint64_t>();
    else if (v.is_string())
        bytes = sim::parse_size(v.get_ref<const std::string&>());
    if (v.is_number_integer() && !v.is_number_unsigned()) bytes = 0;  // negative: out of range
    if (!bytes) {
        r.expected(path,
                   "a size like \"512MiB\" or \"1GiB\" (units B, KiB, MiB, GiB, TiB, KB, MB, GB, "
                   "TB) or a number of bytes",
                   v);
    } else if (*bytes < k_capacity_bytes_min || *bytes > k_capacity_bytes_max) {
        r.expected(path, "a size in 1MiB..1TiB", v);
    } else {
        out = *bytes;
    }
}

void read_disk(Reader& r, const Json& v, const std::string& path, DiskSpec& d) {
    if (!r.object(v, path, k_disk_keys)) return;
    const auto latency = [&](std::string_view key, Duration& min, Duration& max) {
        with(v, path, key, [&](const Json& x, const std::string& p) {
            if (const auto l = r.range(x, p)) {
                min = l->min;
                max = l->max;
            }
        });
    };
    latency("write_latency", d.write_latency_min, d.write_latency_max);
    latency("read_latency", d.read_latency_min, d.read_latency_max);
    latency("fsync_latency", d.fsync_latency_min, d.fsync_latency_max);
    with(v, path, "capacity",
         [&](const Json& x, const std::string& p) { read_capacity(r, x, p, d.capacity_bytes); });
    read_probability(r, v, path, "torn_write_probability", d.torn_write_probability);
}

// [min, max]: two integers in 1..64KiB, min <= max.
void read_event_bytes(Reader& r, const Json& v, const std::string& path, WorkloadSpec& w) {
    if (!v.is_array() || v.size() != 2) {
        r.expected(path, "a range [min, max] of event sizes in bytes", v);
        return;
    }
    const auto lo = r.integer(v[0], index_path(path, 0), 1, k_event_bytes_max);
    const auto hi = r.integer(v[1], index_path(path, 1), 1, k_event_bytes_max);
    if (!lo || !hi) return;
    if (*lo > *hi) {
        r.expected(path, "min <= max", v);
        return;
    }
    w.event_bytes_min = static_cast<int>(*lo);
    w.event_bytes_max = static_cast<int>(*hi);
}

void read_workload(Reader& r, const Json& v, const std::string& path, WorkloadSpec& w) {
    if (!r.object(v, path, workload_keys())) return;
    with(v, path, "type", [&](const Json& x, const std::string& p) {
        if (auto t = r.choice(x, p, workloads::workload_names())) w.type = std::move(*t);
    });
    with(v, path, "clients", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 1, k_clients_max)) w.clients = static_cast<int>(*n);
    });
    with(v, path, "rate", [&](const Json& x, const std::string& p) {
        if (const auto n = r.positive_number(x, p, k_rate_max)) w.rate = *n;
    });
    with(v, path, "streams", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 1, k_streams_max)) w.streams = static_cast<int>(*n);
    });
    read_probability(r, v, path, "read_fraction", w.read_fraction);
    with(v, path, "reads", [&](const Json& x, const std::string& p) {
        if (auto t = r.choice(x, p, k_read_targets)) w.reads_anywhere = *t == "any";
    });
    with(v, path, "accounts", [&](const Json& x, const std::string& p) {
        if (const auto n = r.integer(x, p, 2, k_streams_max)) w.accounts = static_cast<int>(*n);
    });
    with(v, path, "event_bytes",
         [&](const Json& x, const std::string& p) { read_event_bytes(r, x, p, w); });
    with(v, path, "fail_assertion_at", [&](const Json& x, const std::string& p) {
        if (const auto d = r.positive_duration(x, p)) w.fail_assertion_at = *d;
    });
}

// An array of names (properties, probes), each a non-empty string.
void read_names(Reader& r, const Json& v, const std::string& path, const std::string& noun,
                std::vector<std::string>& out) {
    if (!v.is_array()) {
        r.expected(path, "an array of " + noun + " names", v);
        return;
    }
    if (v.size() > k_properties_max) {
        r.expected(path, "at most " + std::to_string(k_properties_max) + " " + noun + " names",
                   "an array of " + std::to_string(v.size()));
        return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string() && !v[i].get_ref<const std::string&>().empty()) {
            out.push_back(v[i].get<std::string>());
        } else {
            r.expected(index_path(path, i), "a non-empty string", v[i]);
        }
    }
}

// Budget "within" promises a fault-free tail: it must fit the run.
void check_quiet_period(Reader& r, const Json& doc, const Scenario& s, Context& ctx) {
    ctx.quiet_period = s.quiet_period;
    if (s.quiet_period < *ctx.duration) {
        ctx.quiet_start = *ctx.duration - s.quiet_period;
        return;
    }
    const Json* written = member(doc, "quiet_period");
    r.expected("quiet_period",
               "less than the duration (" + show(*ctx.duration) + ") under budget \"within\"",
               written ? describe(*written) : "the default \"" + show(s.quiet_period) + "\"");
}

}  // namespace

const std::vector<std::string_view>& workload_keys() {
    static const std::vector<std::string_view> keys = [] {
        std::vector<std::string_view> k = {"type"};
        for (const workloads::Workload* w : workloads::registry()) {
            for (std::string_view s : w->settings) {
                if (std::find(k.begin(), k.end(), s) == k.end()) k.push_back(s);
            }
        }
        return k;
    }();
    return keys;
}

Context read_settings(Reader& r, const Json& doc, Scenario& s) {
    Context ctx;
    with_required(r, doc, "", "name",
                  [&](const Json& x, const std::string& p) { read_name(r, x, p, s); });
    with_required(r, doc, "", "description", [&](const Json& x, const std::string& p) {
        const auto d = r.string(x, p);
        if (d && !d->empty())
            s.description = *d;
        else if (d)
            r.expected(p, "a non-empty string", x);
    });
    with(doc, "", "cluster", [&](const Json& x, const std::string& p) {
        read_cluster(r, x, p, s.cluster, ctx, nodes_max(doc));
    });
    with(doc, "", "network",
         [&](const Json& x, const std::string& p) { read_network(r, x, p, s.network); });
    with(doc, "", "disk", [&](const Json& x, const std::string& p) { read_disk(r, x, p, s.disk); });
    with(doc, "", "workload",
         [&](const Json& x, const std::string& p) { read_workload(r, x, p, s.workload); });
    with_required(r, doc, "", "duration", [&](const Json& x, const std::string& p) {
        const auto d = r.duration(x, p);
        if (d && *d > Duration() && *d <= k_duration_max)
            ctx.duration = s.duration = *d;
        else if (d)
            r.expected(p, "a duration > 0 and <= 24h", x);
    });
    bool budget_known = true;
    with(doc, "", "budget", [&](const Json& x, const std::string& p) {
        const auto b = r.choice(x, p, k_budgets);
        if (b) s.budget = *b == "within" ? Budget::within : Budget::beyond;
        budget_known = b.has_value();
    });
    bool quiet_known = true;
    with(doc, "", "quiet_period", [&](const Json& x, const std::string& p) {
        const auto q = r.duration(x, p);
        if (q) s.quiet_period = *q;
        quiet_known = q.has_value();
    });
    // Unset, the quiet period is the default (5s), but at most half of a short run: a 3 s scenario
    // needs no quiet_period to be valid.
    if (member(doc, "quiet_period") == nullptr && ctx.duration) {
        s.quiet_period = std::min(s.quiet_period, *ctx.duration / 2);
    }
    with(doc, "", "expect", [&](const Json& x, const std::string& p) {
        if (const auto e = r.choice(x, p, k_expects)) s.expect_pass = *e == "pass";
    });
    with(doc, "", "properties", [&](const Json& x, const std::string& p) {
        read_names(r, x, p, "property", s.properties);
    });
    with(doc, "", "swarm", [&](const Json& x, const std::string& p) {
        if (x.is_boolean()) {
            s.swarm = x.get<bool>();
        } else {
            r.expected(p, "true or false", x);
        }
    });
    with(doc, "", "schedule", [&](const Json& x, const std::string& p) {
        if (const auto c = r.choice(x, p, k_schedules)) s.fifo_scheduling = *c == "fifo";
    });
    with(doc, "", "buggify", [&](const Json& x, const std::string& p) {
        if (x.is_boolean()) {
            s.buggify = x.get<bool>();
        } else {
            r.expected(p, "true or false", x);
        }
    });
    with(doc, "", "probes", [&](const Json& x, const std::string& p) {
        if (x.is_string() && x.get_ref<const std::string&>() == k_all_probes) {
            s.probes = {std::string(k_all_probes)};  // check_probes expands it
            return;
        }
        if (x.is_string()) {
            r.expected(p, "an array of probe names or \"all\"", x);
            return;
        }
        read_names(r, x, p, "probe", s.probes);
    });
    if (budget_known && quiet_known && ctx.duration && s.budget == Budget::within) {
        check_quiet_period(r, doc, s, ctx);
    }
    return ctx;
}

}  // namespace stormlog::scenarios
