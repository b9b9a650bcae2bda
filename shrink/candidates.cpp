#include "shrink/candidates.hpp"

#include <algorithm>
#include <string>

#include "faults/catalogue.hpp"
#include "workloads/registry.hpp"

namespace stormlog::shrink {
namespace {

using sim::Duration;

constexpr Duration k_duration_step = Duration::millis(100);
constexpr Duration k_shortest_fault = Duration::millis(1);

bool is_cluster_node(const std::string& name, int nodes) {
    if (name.size() < 2 || name[0] != 'n') return false;
    int n = 0;
    for (char c : name.substr(1)) {
        if (c < '0' || c > '9') return false;
        n = n * 10 + (c - '0');
    }
    return n >= 1 && n <= nodes;
}

// The fault without references to nodes past `nodes`; false if nothing of it is left.
bool drop_nodes(faults::FaultSpec& f, int nodes, int old_nodes) {
    auto& t = f.target.nodes;
    t.erase(std::remove_if(t.begin(), t.end(), [&](int n) { return n >= nodes; }), t.end());
    if (f.target.kind == faults::TargetKind::nodes && t.empty()) return false;
    if (f.target.kind == faults::TargetKind::node && f.target.node >= nodes) return false;
    for (auto& side : f.sides) {
        side.erase(std::remove_if(side.begin(), side.end(),
                                  [&](const std::string& name) {
                                      return is_cluster_node(name, old_nodes) &&
                                             !is_cluster_node(name, nodes);
                                  }),
                   side.end());
    }
    f.sides.erase(std::remove_if(f.sides.begin(), f.sides.end(),
                                 [](const auto& side) { return side.empty(); }),
                  f.sides.end());
    const faults::FaultKindInfo* kind = faults::find_kind(f.kind);
    const bool had_sides = !f.sides.empty() || (kind && faults::requires_sides(*kind));
    return !had_sides || f.sides.size() >= 2;
}

Scenario with_nodes(const Scenario& s, int nodes) {
    Scenario c = s;
    c.cluster.nodes = nodes;
    c.faults.clear();
    for (faults::FaultSpec f : s.faults) {
        if (drop_nodes(f, nodes, s.cluster.nodes)) c.faults.push_back(std::move(f));
    }
    return c;
}

Duration round_up(Duration d) {
    const int64_t step = k_duration_step.ns();
    return Duration::nanos((d.ns() + step - 1) / step * step);
}

}  // namespace

std::vector<Scenario> narrowings(const Scenario& s, size_t fault) {
    std::vector<Scenario> out;
    const faults::FaultSpec& f = s.faults[fault];
    if (f.target.kind == faults::TargetKind::nodes && f.target.nodes.size() > 1) {
        for (size_t i = 0; i < f.target.nodes.size(); ++i) {
            Scenario c = s;
            auto& t = c.faults[fault].target.nodes;
            t.erase(t.begin() + static_cast<long>(i));
            out.push_back(std::move(c));
        }
    }
    // Clients out of the partition first: they were placed by a draw, the cluster's cut is the
    // story.
    Scenario no_clients = s;
    bool had_clients = false;
    for (auto& side : no_clients.faults[fault].sides) {
        const size_t before = side.size();
        side.erase(std::remove_if(
                       side.begin(), side.end(),
                       [&](const std::string& n) { return !is_cluster_node(n, s.cluster.nodes); }),
                   side.end());
        had_clients = had_clients || side.size() != before;
    }
    if (had_clients) out.push_back(std::move(no_clients));
    for (size_t side = 0; side < f.sides.size(); ++side) {
        if (f.sides[side].size() < 2) continue;
        for (size_t i = 0; i < f.sides[side].size(); ++i) {
            Scenario c = s;
            auto& names = c.faults[fault].sides[side];
            names.erase(names.begin() + static_cast<long>(i));
            out.push_back(std::move(c));
        }
    }
    return out;
}

std::vector<Scenario> shortenings(const Scenario& s, size_t fault) {
    std::vector<Scenario> out;
    Duration d = s.faults[fault].duration;
    while (d.ns() > 0 && d / 2 >= k_shortest_fault) {
        d = d / 2;
        Scenario c = s;
        c.faults[fault].duration = d;
        out.push_back(std::move(c));
    }
    std::reverse(out.begin(), out.end());  // the shortest first: the biggest cut
    return out;
}

std::vector<Scenario> shorter_runs(const Scenario& s, Duration lo) {
    std::vector<Scenario> out;
    lo = std::max(round_up(lo), k_duration_step);
    Duration hi = s.duration;
    std::vector<Duration> tried;
    // The points a binary search from lo towards hi would visit if every probe passed: the
    // shortest first, so the first that fails is nearly the shortest.
    for (Duration d = lo; d < hi; d = round_up(d + (hi - d) / 2)) {
        if (!tried.empty() && d == tried.back()) break;
        tried.push_back(d);
    }
    for (Duration d : tried) {
        Scenario c = s;
        c.duration = d;
        if (c.budget == workloads::Budget::within) {
            // Faults end before the quiet period; keep as much of it as fits.
            const Duration room = d - faults_end(c);
            c.quiet_period = std::min(c.quiet_period, room);
            if (c.quiet_period >= d) c.quiet_period = d / 2;
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::vector<Scenario>> smaller_setups(const Scenario& s) {
    std::vector<std::vector<Scenario>> groups;
    auto group = [&](auto&& change, std::vector<int> values, int now) {
        std::vector<Scenario> g;
        for (int v : values) {
            if (v >= now || v < 1) continue;
            Scenario c = s;
            change(c, v);
            g.push_back(std::move(c));
        }
        if (!g.empty()) groups.push_back(std::move(g));
    };
    const workloads::WorkloadSpec& w = s.workload;
    const workloads::Workload* info = workloads::find_workload(w.type);
    auto reads = [&](const char* key) { return info != nullptr && info->reads(key); };
    if (reads("clients"))
        group([](Scenario& c, int v) { c.workload.clients = v; }, {1, 2, w.clients / 2}, w.clients);
    if (reads("streams"))
        group([](Scenario& c, int v) { c.workload.streams = v; }, {1, w.streams / 2}, w.streams);
    if (reads("accounts"))
        group([](Scenario& c, int v) { c.workload.accounts = v; }, {2, w.accounts / 2}, w.accounts);
    if (reads("rate")) {
        std::vector<Scenario> rates;
        for (double f : {0.25, 0.5}) {
            Scenario c = s;
            c.workload.rate = w.rate * f;
            rates.push_back(std::move(c));
        }
        groups.push_back(std::move(rates));
    }
    std::vector<Scenario> sizes;
    for (int n = 3; n < s.cluster.nodes; n += 2) sizes.push_back(with_nodes(s, n));
    if (!sizes.empty()) groups.push_back(std::move(sizes));
    if (!s.fifo_scheduling) {
        Scenario c = s;
        c.fifo_scheduling = true;
        groups.push_back({c});
    }
    return groups;
}

std::vector<Scenario> roundings(const Scenario& s) {
    std::vector<Scenario> out;
    for (int64_t step : {100'000'000, 10'000'000, 1'000'000}) {
        auto round = [&](Duration d) { return Duration::nanos((d.ns() + step / 2) / step * step); };
        Scenario c = s;
        for (faults::FaultSpec& f : c.faults) {
            f.at = round(f.at);
            if (f.duration.ns() > 0)
                f.duration = std::max(round(f.duration), Duration::nanos(step));
        }
        out.push_back(std::move(c));
    }
    return out;
}

Duration faults_end(const Scenario& s) {
    Duration end;
    for (const faults::FaultSpec& f : s.faults) end = std::max(end, f.at + f.duration);
    return end;
}

}  // namespace stormlog::shrink
