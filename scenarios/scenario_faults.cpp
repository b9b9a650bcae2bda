// Scripted faults and the nemesis of a scenario file (the format: scenario_file.hpp).

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "faults/catalogue.hpp"
#include "scenarios/scenario_reading.hpp"

namespace stormlog::scenarios {
namespace {

// Nemesis weights are relative; the bound only keeps sums finite.
constexpr double k_weight_max = 1e6;

constexpr std::array<std::string_view, 6> k_fault_keys = {"kind",   "at",     "for",
                                                          "target", "params", "sides"};
// Names a partition's sides may hold, in all (a bound on hostile input, far above any cluster).
constexpr size_t k_side_names_max = 10000;
constexpr std::array<std::string_view, 5> k_nemesis_keys = {
    "window", "mean_interval", "fault_duration", "kinds", "client_partitions"};

std::vector<std::string_view> kind_names() {
    std::vector<std::string_view> names;
    for (const faults::FaultKindInfo& k : faults::catalogue()) names.push_back(k.name);
    return names;
}

Duration saturating_add(Duration a, Duration b) {
    int64_t sum = 0;
    if (__builtin_add_overflow(a.ns(), b.ns(), &sum)) return Duration::max();
    return Duration::nanos(sum);
}

const faults::FaultKindInfo* read_kind_name(Reader& r, const Json& v, const std::string& path) {
    if (v.is_string()) {
        const std::string& name = v.get_ref<const std::string&>();
        if (const faults::FaultKindInfo* kind = faults::find_kind(name)) return kind;
        const auto names = kind_names();
        const std::string hint = sim::did_you_mean(name, names);
        r.expected(path, "a fault kind",
                   describe(v) + (hint.empty() ? " (\"stormlog list faults\" shows them)" : hint));
        return nullptr;
    }
    r.expected(path, "a fault kind (a string)", v);
    return nullptr;
}

// "n2" -> node index 1; the symbolic targets by name.
std::optional<TargetSpec> parse_target(std::string_view s) {
    static constexpr std::pair<std::string_view, TargetKind> names[] = {
        {"leader", TargetKind::leader},     {"follower", TargetKind::follower},
        {"random", TargetKind::random},     {"minority", TargetKind::minority},
        {"majority", TargetKind::majority}, {"all", TargetKind::all}};
    for (const auto& [name, kind] : names) {
        if (s == name) return TargetSpec{kind, 0, {}};
    }
    // At most three digits, no leading zero: "n007" is not a node, and the number cannot overflow.
    if (s.size() < 2 || s.size() > 4 || s[0] != 'n' || s[1] == '0') return std::nullopt;
    int n = 0;
    for (char c : s.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return TargetSpec{TargetKind::node, n - 1, {}};
}

std::string node_range(const Context& ctx) {
    return ctx.nodes ? "\"n1\"..\"n" + std::to_string(*ctx.nodes) + "\"" : "\"n<i>\"";
}

// A cluster node's name, in range: its 0-based index.
std::optional<int> read_cluster_node(Reader& r, const Json& v, const std::string& path,
                                     const Context& ctx) {
    const auto t = v.is_string() ? parse_target(v.get_ref<const std::string&>()) : std::nullopt;
    if (!t || t->kind != TargetKind::node || (ctx.nodes && t->node >= *ctx.nodes)) {
        r.expected(path, "a node in " + node_range(ctx), v);
        return std::nullopt;
    }
    return t->node;
}

// ["n1", "n3"]: exactly these nodes.
void read_target_list(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                      TargetSpec& out) {
    if (v.empty()) {
        r.expected(path, "a non-empty array of nodes", std::string("[]"));
        return;
    }
    std::vector<int> nodes;
    for (size_t i = 0; i < v.size(); ++i) {
        const auto n = read_cluster_node(r, v[i], index_path(path, i), ctx);
        if (!n) return;
        if (std::find(nodes.begin(), nodes.end(), *n) != nodes.end()) {
            r.expected(index_path(path, i), "distinct nodes", v[i]);
            return;
        }
        nodes.push_back(*n);
    }
    std::sort(nodes.begin(), nodes.end());
    out = TargetSpec{TargetKind::nodes, 0, nodes};
}

void read_target(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                 TargetSpec& out) {
    if (v.is_array()) {
        read_target_list(r, v, path, ctx, out);
        return;
    }
    const std::string nodes = node_range(ctx);
    const std::string want =
        "a target: " + nodes +
        ", \"leader\", \"random\", \"minority\", \"majority\", \"all\" or an array of nodes";
    const auto target =
        v.is_string() ? parse_target(v.get_ref<const std::string&>()) : std::nullopt;
    if (!target) {
        r.expected(path, want, v);
    } else if (target->kind == TargetKind::node && ctx.nodes && target->node >= *ctx.nodes) {
        r.expected(path,
                   "a node in " + nodes + " (cluster.nodes is " + std::to_string(*ctx.nodes) + ")",
                   v);
    } else {
        out = *target;
    }
}

// `key` must be present exactly when the kind needs it; nullptr kind: only the value is checked.
template <class Read>
void read_kind_dependent(Reader& r, const Json& fault, const std::string& path,
                         std::string_view key, const faults::FaultKindInfo* kind, bool needed,
                         const char* why_not, Read&& read) {
    const Json* v = member(fault, key);
    const std::string p = key_path(path, key);
    if (v && kind && !needed) {
        r.error(p, "not allowed: \"" + kind->name + "\" " + why_not);
    } else if (v) {
        read(*v, p);
    } else if (kind && needed) {
        r.error(p, "missing (required for \"" + kind->name + "\")");
    }
}

std::optional<double> read_param(Reader& r, const Json& v, const std::string& path,
                                 const faults::ParamInfo& p) {
    switch (p.type) {
        case faults::ParamType::duration: {
            const auto d = r.duration(v, path, p.min < 0);
            if (!d) return std::nullopt;
            const double ns = static_cast<double>(d->ns());
            if (ns >= p.min && ns <= p.max) return ns;
            r.expected(path,
                       "a duration in " + show(Duration::nanos(static_cast<int64_t>(p.min))) +
                           ".." + show(Duration::nanos(static_cast<int64_t>(p.max))),
                       v);
            return std::nullopt;
        }
        case faults::ParamType::number:
            return r.number(v, path, p.min, p.max);
        case faults::ParamType::integer: {
            const auto i =
                r.integer(v, path, static_cast<int64_t>(p.min), static_cast<int64_t>(p.max));
            if (i) return static_cast<double>(*i);
            return std::nullopt;
        }
    }
    return std::nullopt;
}

void read_params(Reader& r, const Json& v, const std::string& path,
                 const faults::FaultKindInfo& kind, std::map<std::string, double>& out) {
    std::vector<std::string_view> names;
    for (const faults::ParamInfo& p : kind.params) names.push_back(p.name);
    if (names.empty()) {
        if (!v.is_object()) r.expected(path, "an object", v);
        for (auto it = v.begin(); v.is_object() && it != v.end(); ++it) {
            r.error(key_path(path, it.key()),
                    "unknown key (\"" + kind.name + "\" takes no params)");
        }
        return;
    }
    if (!r.object(v, path, names)) return;
    for (const faults::ParamInfo& p : kind.params) {
        with(v, path, p.name, [&](const Json& x, const std::string& xp) {
            if (const auto value = read_param(r, x, xp, p)) out[p.name] = *value;
        });
    }
}

void read_fault_timing(Reader& r, const Json& v, const std::string& path,
                       const faults::FaultKindInfo* kind, const Context& ctx, FaultSpec& f) {
    with_required(r, v, path, "at", [&](const Json& x, const std::string& p) {
        const auto at = r.duration(x, p);
        if (at && ctx.duration && *at >= *ctx.duration) {
            r.expected(p, "a time before the end of the run (" + show(*ctx.duration) + ")", x);
        } else if (at) {
            f.at = *at;
        }
    });
    read_kind_dependent(r, v, path, "for", kind, kind && kind->takes_duration,
                        "is instant (it takes no \"for\")",
                        [&](const Json& x, const std::string& p) {
                            if (const auto d = r.positive_duration(x, p)) f.duration = *d;
                        });
}

// The fault's whole life must fit the run, and under budget "within" end before the quiet period.
void check_fault_window(Reader& r, const std::string& path, const FaultSpec& f,
                        const Context& ctx) {
    const Duration end = saturating_add(f.at, f.duration);
    const std::string got =
        "an end at " + show(end) + " (at " + show(f.at) + " + for " + show(f.duration) + ")";
    if (ctx.duration && end > *ctx.duration) {
        r.expected(path, "the fault to end by the end of the run (" + show(*ctx.duration) + ")",
                   got);
        return;
    }
    if (!ctx.quiet_start) return;
    const std::string why =
        " (budget \"within\" keeps the last " + show(ctx.quiet_period) + " fault-free)";
    if (f.duration == Duration() && f.at >= *ctx.quiet_start) {
        r.expected(key_path(path, "at"), "a time before " + show(*ctx.quiet_start) + why,
                   "\"" + show(f.at) + "\"");
    } else if (end > *ctx.quiet_start) {
        r.expected(path, "the fault to end by " + show(*ctx.quiet_start) + why, got);
    }
}

// A name a side may hold: a cluster node in range, or another node of the workload (a client;
// the injector skips the fault if the run has no node of that name).
bool read_side_name(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                    std::string& out) {
    if (!v.is_string()) {
        r.expected(path, "a node name", v);
        return false;
    }
    const std::string& name = v.get_ref<const std::string&>();
    const auto t = parse_target(name);
    if (t && t->kind == TargetKind::node) {
        if (!read_cluster_node(r, v, path, ctx)) return false;
        out = name;
        return true;
    }
    const bool plain =
        !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    if (!plain || name[0] == 'n') {
        r.expected(path, "a node name: " + node_range(ctx) + " or a client node (\"c1\")", v);
        return false;
    }
    out = name;
    return true;
}

void read_sides(Reader& r, const Json& v, const std::string& path,
                const faults::FaultKindInfo& kind, const Context& ctx, FaultSpec& f) {
    const bool one_way = kind.name == "partition-one-way";
    const std::string want = one_way ? "an array of two sides [from, to], each an array of nodes"
                                     : "an array of at least two sides, each an array of nodes";
    if (!v.is_array() || v.size() < 2 || (one_way && v.size() != 2)) {
        r.expected(path, want, v);
        return;
    }
    size_t names = 0;
    std::vector<std::vector<std::string>> sides;
    for (size_t i = 0; i < v.size(); ++i) {
        const std::string p = index_path(path, i);
        if (!v[i].is_array() || v[i].empty()) {
            r.expected(p, "a non-empty array of nodes", v[i]);
            return;
        }
        names += v[i].size();
        if (names > k_side_names_max) {
            r.expected(path, "at most " + std::to_string(k_side_names_max) + " names in all",
                       std::string("more"));
            return;
        }
        sides.emplace_back();
        for (size_t j = 0; j < v[i].size(); ++j) {
            std::string name;
            if (!read_side_name(r, v[i][j], index_path(p, j), ctx, name)) return;
            if (std::find(sides.back().begin(), sides.back().end(), name) != sides.back().end()) {
                r.expected(index_path(p, j), "distinct nodes within a side", v[i][j]);
                return;
            }
            sides.back().push_back(name);
        }
    }
    f.sides = std::move(sides);
}

// With sides and no target, a kind that takes one acts on the first side's cluster nodes.
void target_from_sides(Reader& r, const std::string& path, FaultSpec& f) {
    TargetSpec t{TargetKind::nodes, 0, {}};
    for (const std::string& name : f.sides.front()) {
        if (const auto n = parse_target(name); n && n->kind == TargetKind::node)
            t.nodes.push_back(n->node);
    }
    if (t.nodes.empty()) {
        r.error(key_path(path, "target"),
                "missing (required when the first side holds no cluster node)");
        return;
    }
    std::sort(t.nodes.begin(), t.nodes.end());
    f.target = t;
}

std::optional<FaultSpec> read_fault(Reader& r, const Json& v, const std::string& path,
                                    const Context& ctx) {
    if (!r.object(v, path, k_fault_keys)) return std::nullopt;
    const size_t errors_before = r.count();
    FaultSpec f;
    const faults::FaultKindInfo* kind = nullptr;
    with_required(r, v, path, "kind",
                  [&](const Json& x, const std::string& p) { kind = read_kind_name(r, x, p); });
    if (kind) {
        f.kind = kind->name;
        for (const faults::ParamInfo& p : kind->params) f.params[p.name] = p.default_value;
    }
    read_fault_timing(r, v, path, kind, ctx, f);
    const bool has_sides = member(v, "sides") != nullptr;
    with(v, path, "sides", [&](const Json& x, const std::string& p) {
        if (kind && !faults::takes_sides(*kind))
            r.error(p,
                    "not allowed: \"" + kind->name + "\" is not a partition (it takes no sides)");
        else if (kind)
            read_sides(r, x, p, *kind, ctx, f);
    });
    if (kind && faults::requires_sides(*kind) && !has_sides)
        r.error(key_path(path, "sides"), "missing (required for \"" + kind->name + "\")");
    const bool has_target = member(v, "target") != nullptr;
    read_kind_dependent(
        r, v, path, "target", kind, kind && kind->takes_target && !(has_sides && !has_target),
        "acts on the whole cluster (it takes no \"target\")",
        [&](const Json& x, const std::string& p) { read_target(r, x, p, ctx, f.target); });
    if (kind && kind->takes_target && !has_target && !f.sides.empty())
        target_from_sides(r, path, f);
    with(v, path, "params", [&](const Json& x, const std::string& p) {
        if (kind)
            read_params(r, x, p, *kind, f.params);
        else if (!x.is_object())
            r.expected(p, "an object", x);
    });
    if (r.count() != errors_before || !kind) return std::nullopt;
    check_fault_window(r, path, f, ctx);
    return r.count() == errors_before ? std::optional<FaultSpec>(f) : std::nullopt;
}

void read_nemesis_kinds(Reader& r, const Json& v, const std::string& path,
                        std::map<std::string, double>& out) {
    if (!v.is_object() || v.empty()) {
        r.expected(path, "an object of fault kinds and weights, like {\"crash\": 1}",
                   v.is_object() ? "{}" : describe(v));
        return;
    }
    const auto names = kind_names();
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string p = key_path(path, it.key());
        if (!faults::find_kind(it.key())) {
            r.unknown(p, "unknown fault kind", it.key(), names,
                      " (\"stormlog list faults\" shows them)");
        } else if (faults::requires_sides(*faults::find_kind(it.key()))) {
            r.error(p, "\"" + it.key() +
                           "\" needs the exact sides a scripted fault gives; the nemesis draws "
                           "its partitions (partition-halves, partition-minority, ...)");
        } else if (const auto w = r.positive_number(it.value(), p, k_weight_max)) {
            out[it.key()] = *w;
        }
    }
}

void check_nemesis_window(Reader& r, const Json& v, const std::string& path, DurationRange w,
                          const Context& ctx) {
    const std::string got = "[" + describe(v[0]) + ", " + describe(v[1]) + "]";
    if (ctx.duration && w.max > *ctx.duration) {
        r.expected(path, "a window within the run (which ends at " + show(*ctx.duration) + ")",
                   got);
    } else if (ctx.quiet_start && w.max > *ctx.quiet_start) {
        r.expected(path,
                   "a window that ends by " + show(*ctx.quiet_start) +
                       " (budget \"within\" keeps the last " + show(ctx.quiet_period) +
                       " fault-free)",
                   got);
    }
}

}  // namespace

void read_faults(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                 std::vector<FaultSpec>& out) {
    if (!v.is_array()) {
        r.expected(path, "an array of faults", v);
        return;
    }
    if (v.size() > k_faults_max) {
        r.expected(path, "at most " + std::to_string(k_faults_max) + " faults",
                   "an array of " + std::to_string(v.size()));
        return;
    }
    for (size_t i = 0; i < v.size(); ++i) {
        if (auto f = read_fault(r, v[i], index_path(path, i), ctx)) out.push_back(std::move(*f));
    }
}

void read_nemesis(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                  NemesisSpec& n) {
    if (!r.object(v, path, k_nemesis_keys)) return;
    n.enabled = true;
    with_required(r, v, path, "window", [&](const Json& x, const std::string& p) {
        if (const auto w = r.range(x, p)) {
            n.window_start = w->min;
            n.window_end = w->max;
            check_nemesis_window(r, x, p, *w, ctx);
        }
    });
    with(v, path, "mean_interval", [&](const Json& x, const std::string& p) {
        if (const auto d = r.positive_duration(x, p)) n.mean_interval = *d;
    });
    with(v, path, "fault_duration", [&](const Json& x, const std::string& p) {
        if (const auto d = r.range(x, p, true)) {
            n.fault_min = d->min;
            n.fault_max = d->max;
        }
    });
    with_required(r, v, path, "kinds", [&](const Json& x, const std::string& p) {
        read_nemesis_kinds(r, x, p, n.kinds);
    });
    with(v, path, "client_partitions", [&](const Json& x, const std::string& p) {
        if (const auto c = r.number(x, p, 0, 1)) n.client_partitions = *c;
    });
}

}  // namespace stormlog::scenarios
