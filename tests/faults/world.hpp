#pragma once
// A small world for fault tests: N nodes with an idle process each, a network and a disk per node.

#include <memory>
#include <vector>

#include "faults/injector.hpp"
#include "sim/env.hpp"

namespace stormlog::faults::testing {

struct TestWorld {
    explicit TestWorld(int n, uint64_t seed = 1) : sim(options(seed)) {
        for (int i = 0; i < n; ++i) {
            sim::Node& node = sim.add_node("n" + std::to_string(i + 1));
            sim.start(sim.add_process(node, "idle", [](sim::Env& env) {
                for (;;) env.sleep(sim::Duration::seconds(1));
            }));
        }
        network = std::make_unique<sim::Network>(sim, sim::LinkSettings{});
        for (auto& node : sim.nodes()) {
            disks.push_back(std::make_unique<sim::Disk>(sim, node->id(), node->rng().fork("disk"),
                                                        sim::DiskOptions::instant()));
        }
        listener =
            sim.add_node_crash_listener([this](sim::Node& node) { disks[node.id()]->crash(); });
    }
    ~TestWorld() {
        sim.shutdown();
        injector.reset();
        sim.remove_node_crash_listener(listener);
    }

    static sim::SimulationOptions options(uint64_t seed) {
        sim::SimulationOptions o;
        o.seed = seed;
        return o;
    }

    World world() {
        World w;
        w.sim = &sim;
        w.network = network.get();
        // Nodes after the cluster (clients) have no disk the injector acts on.
        for (size_t i = 0; i < disks.size() && (cluster == 0 || i < cluster); ++i)
            w.disks.push_back(disks[i].get());
        w.nodes = cluster;
        return w;
    }

    Injector& make_injector(std::vector<FaultSpec> scripted, Budget budget = Budget::beyond,
                            NemesisSpec nemesis = {}, sim::Time heal_all_at = sim::Time::max()) {
        injector = std::make_unique<Injector>(world(), std::move(scripted), std::move(nemesis),
                                              budget, heal_all_at);
        injector->start();
        return *injector;
    }

    bool crashed(int i) {
        return sim.node(static_cast<sim::NodeId>(i)).processes()[0]->state() ==
               sim::Process::State::crashed;
    }
    bool paused(int i) { return sim.node(static_cast<sim::NodeId>(i)).processes()[0]->paused(); }

    size_t cluster = 0;  // the cluster's nodes (the rest are clients); 0: every node
    sim::Simulation sim;
    std::unique_ptr<sim::Network> network;
    std::vector<std::unique_ptr<sim::Disk>> disks;
    std::unique_ptr<Injector> injector;
    size_t listener = 0;
};

inline FaultSpec fault(const std::string& kind, int at_ms, int for_ms,
                       TargetKind target = TargetKind::node, int node = 0) {
    FaultSpec f;
    f.kind = kind;
    f.at = sim::Duration::millis(at_ms);
    f.duration = sim::Duration::millis(for_ms);
    f.target.kind = target;
    f.target.node = node;
    const FaultKindInfo* k = find_kind(kind);
    for (const ParamInfo& p : k->params) f.params[p.name] = p.default_value;
    return f;
}

inline sim::Time at_ms(int64_t ms) {
    return sim::Time::zero() + sim::Duration::millis(ms);
}

}  // namespace stormlog::faults::testing
