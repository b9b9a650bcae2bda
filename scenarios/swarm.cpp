#include "scenarios/swarm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/assert.hpp"
#include "sim/rng.hpp"
#include "workloads/registry.hpp"

namespace stormlog::scenarios {
namespace {

using sim::Duration;
using workloads::Scenario;

constexpr int k_nodes_max = 15;

// A factor in [1/e^span, e^span], uniform in its logarithm: as likely halved as doubled.
double log_factor(sim::Rng& rng, double span) {
    return std::exp((rng.unit() * 2 - 1) * span);
}

Duration scaled(Duration d, double factor) {
    return Duration::nanos(static_cast<int64_t>(static_cast<double>(d.ns()) * factor));
}

// The cluster: the base size or two more nodes (a majority and a minority both change), and the
// protocol's timings - heartbeats against election timeouts is where Raft's liveness lives.
void draw_cluster(sim::Rng& rng, workloads::ClusterSpec& c) {
    if (c.nodes + 2 <= k_nodes_max && rng.chance(0.5)) c.nodes += 2;
    c.heartbeat = rng.between(Duration::millis(15), Duration::millis(80));
    c.election_timeout_min =
        rng.between(std::max(Duration::millis(150), c.heartbeat * 4), Duration::millis(700));
    c.election_timeout_max = c.election_timeout_min +
                             rng.between(c.election_timeout_min / 4, c.election_timeout_min * 2);
    static constexpr int k_snapshot_every[] = {16, 64, 256, 1024};
    c.snapshot_every = k_snapshot_every[rng.below(4)];
}

// Draws added after the swarms' first runs come from streams of their own (`late`, forked by
// name), so adding one shifts none of the earlier draws: a seed keeps the configuration it had,
// and the seeds that once failed keep testing what they found.
bool late_kind(const std::string& kind) {
    return kind == "fsync-error" || kind == "truncate-error";
}

// Half the seeds keep the base's event sizes; the others write events of 512 B to 4 KiB, whose
// records span several sectors: a torn write can then cut one in the middle. Every snapshot
// copies the whole state machine, so with events that large a snapshot every few entries costs
// the run quadratic time for nothing a store would do: such seeds snapshot no more often than
// every k_big_event_snapshot_every entries.
constexpr int k_big_event_snapshot_every = 128;

void draw_event_bytes(sim::Rng late, workloads::WorkloadSpec& spec, workloads::ClusterSpec& c) {
    sim::Rng rng = late.fork("event_bytes");
    if (!rng.chance(0.5)) return;
    spec.event_bytes_min = static_cast<int>(rng.between(512, 1024));
    spec.event_bytes_max = static_cast<int>(rng.between(spec.event_bytes_min, 4096));
    c.snapshot_every = std::max(c.snapshot_every, k_big_event_snapshot_every);
}

// The workload's knobs it reads, each within the file format's bounds.
void draw_workload(sim::Rng& rng, const sim::Rng& late, const workloads::Workload& w,
                   workloads::WorkloadSpec& spec, workloads::ClusterSpec& cluster) {
    if (w.reads("clients")) spec.clients = static_cast<int>(rng.between(1, spec.clients));
    if (w.reads("rate")) spec.rate = std::max(0.5, spec.rate * log_factor(rng, 0.7));
    if (w.reads("streams")) spec.streams = static_cast<int>(rng.between(1, spec.streams * 2));
    if (w.reads("read_fraction")) spec.read_fraction = rng.unit() * 0.6;
    if (w.reads("accounts")) spec.accounts = static_cast<int>(rng.between(2, spec.accounts * 2));
    if (w.reads("event_bytes")) draw_event_bytes(late, spec, cluster);
}

// The nemesis: each kind kept with probability 1/2 (at least one), its weight scaled by up to e^2
// either way, and the mean gap between faults by up to 2x.
void draw_nemesis(sim::Rng& rng, const sim::Rng& late, faults::NemesisSpec& n) {
    SL_ASSERT(n.enabled && !n.kinds.empty());
    std::map<std::string, double> kept;
    std::vector<std::string> early;               // the kinds drawn on the main stream
    for (const auto& [kind, weight] : n.kinds) {  // std::map: a fixed order of draws
        sim::Rng own = late.fork("kind:" + kind);
        sim::Rng& r = late_kind(kind) ? own : rng;
        const bool keep = r.chance(0.5);
        const double factor = log_factor(r, 2.0);
        if (keep) kept[kind] = weight * factor;
        if (!late_kind(kind)) early.push_back(kind);
    }
    if (kept.empty()) {
        if (early.empty()) {
            for (const auto& [kind, weight] : n.kinds) early.push_back(kind);
        }
        const std::string& kind = early[rng.below(early.size())];
        kept[kind] = n.kinds.at(kind);
    }
    n.kinds = std::move(kept);
    n.mean_interval = scaled(n.mean_interval, log_factor(rng, 0.7));
}

// Whether the nemesis's partitions put the client nodes on their sides, and how often: in half
// the seeds, a share of its partitions. Drawn on a stream of its own, so that every other draw of
// the seed's configuration is what it was before clients could be partitioned.
void draw_client_partitions(sim::Rng rng, const workloads::Workload& w, faults::NemesisSpec& n) {
    if (!w.reads("clients")) return;  // a workload without client nodes
    if (rng.chance(0.5)) n.client_partitions = 0.25 + 0.75 * rng.unit();
}

std::string describe(const Scenario& s, const workloads::Workload& w) {
    std::string line =
        fmt::format("swarm: nodes={} heartbeat={} election_timeout=[{},{}] snapshot_every={}",
                    s.cluster.nodes, sim::format_duration(s.cluster.heartbeat),
                    sim::format_duration(s.cluster.election_timeout_min),
                    sim::format_duration(s.cluster.election_timeout_max), s.cluster.snapshot_every);
    if (w.reads("clients")) line += fmt::format(" clients={}", s.workload.clients);
    if (w.reads("rate")) line += fmt::format(" rate={:.1f}", s.workload.rate);
    if (w.reads("streams")) line += fmt::format(" streams={}", s.workload.streams);
    if (w.reads("read_fraction"))
        line += fmt::format(" read_fraction={:.2f}", s.workload.read_fraction);
    if (w.reads("accounts")) line += fmt::format(" accounts={}", s.workload.accounts);
    if (s.nemesis.client_partitions > 0)
        line += fmt::format(" client_partitions={:.2f}", s.nemesis.client_partitions);
    if (w.reads("event_bytes"))
        line += fmt::format(" event_bytes=[{},{}]", s.workload.event_bytes_min,
                            s.workload.event_bytes_max);
    line += " mean_interval=" + sim::format_duration(s.nemesis.mean_interval) + " kinds=";
    bool first = true;
    for (const auto& [kind, weight] : s.nemesis.kinds) {
        line += fmt::format("{}{}:{:.2f}", first ? "" : ",", kind, weight);
        first = false;
    }
    return line;
}

}  // namespace

SwarmDraw swarm_draw(const Scenario& base, uint64_t seed) {
    SL_ASSERT(base.swarm);
    SL_ASSERT(base.faults.empty());  // scripted faults name nodes; the cluster's size is drawn
    const workloads::Workload* w = workloads::find_workload(base.workload.type);
    SL_ASSERT(w != nullptr);
    // Its own stream of the seed: the simulation's streams are forked from a root of their own,
    // so drawing the configuration changes none of the run's random choices.
    sim::Rng rng = sim::Rng::root(seed).fork("swarm");
    const sim::Rng late = sim::Rng::root(seed).fork("swarm.late");
    SwarmDraw d{base, ""};
    draw_cluster(rng, d.scenario.cluster);
    draw_workload(rng, late, *w, d.scenario.workload, d.scenario.cluster);
    draw_nemesis(rng, late, d.scenario.nemesis);
    draw_client_partitions(sim::Rng::root(seed).fork("swarm.clients"), *w, d.scenario.nemesis);
    d.line = describe(d.scenario, *w);
    return d;
}

}  // namespace stormlog::scenarios
