// The injector's exact forms: partitions given by their sides (FaultSpec::sides), an applied
// fault's explicit form, and a fault's own random stream (faults/injector.hpp).

#include <algorithm>

#include "faults/injector.hpp"
#include "sim/assert.hpp"

namespace stormlog::faults {

using sim::NodeId;
using sim::Time;

namespace {

bool is(const FaultKindInfo& k, const char* name) {
    return k.name == name;
}

}  // namespace

bool Injector::node_named(const std::string& name, NodeId& out) const {
    for (const auto& node : world_.sim->nodes()) {
        if (node->name() == name) {
            out = node->id();
            return true;
        }
    }
    return false;
}

void Injector::layout_links(const FaultKindInfo& kind,
                            const std::vector<std::vector<NodeId>>& sides, Links& cluster,
                            Links& clients) const {
    auto add = [&](NodeId x, NodeId y) {
        if (x == y || (x >= n_ && y >= n_)) return;  // client nodes are never cut apart
        (x < n_ && y < n_ ? cluster : clients).emplace_back(x, y);
    };
    if (is(kind, "partition-one-way")) {
        SL_ASSERT(sides.size() == 2);
        for (NodeId x : sides[0]) {
            for (NodeId y : sides[1]) add(x, y);
        }
        return;
    }
    // Two nodes talk iff a side holds both; a node named in no side keeps its links.
    std::vector<std::vector<size_t>> member(total_);
    for (size_t i = 0; i < sides.size(); ++i) {
        for (NodeId x : sides[i]) member[x].push_back(i);
    }
    for (NodeId x = 0; x < total_; ++x) {
        for (NodeId y = 0; y < total_; ++y) {
            if (member[x].empty() || member[y].empty()) continue;
            bool shared = false;
            for (size_t i : member[x]) {
                shared =
                    shared || std::find(member[y].begin(), member[y].end(), i) != member[y].end();
            }
            if (!shared) add(x, y);
        }
    }
}

FaultSpec Injector::explicit_spec(const FaultSpec& spec, const FaultKindInfo& kind,
                                  const std::vector<NodeId>& targets,
                                  const std::vector<std::vector<NodeId>>& layout,
                                  const std::vector<size_t>& chosen) const {
    const sim::Simulation& sim = *world_.sim;
    FaultSpec out = spec;
    out.at = sim.now() - Time::zero();
    out.target = TargetSpec{};  // as a file without a target reads
    if (kind.takes_target) {
        out.target = TargetSpec{TargetKind::nodes, 0, {}};
        for (NodeId t : targets) out.target.nodes.push_back(static_cast<int>(t));
        std::sort(out.target.nodes.begin(), out.target.nodes.end());
    }
    // A drawn layout is written out; isolate and one-way need one only for the clients' places.
    const bool drawn = !is(kind, "isolate") && !is(kind, "partition-one-way");
    if (spec.sides.empty() && !layout.empty() && (drawn || !chosen.empty())) {
        for (const std::vector<NodeId>& side : layout) {
            out.sides.emplace_back();
            for (NodeId x : side) out.sides.back().push_back(sim.node(x).name());
        }
        for (size_t c = 0; c < chosen.size(); ++c) {
            out.sides[chosen[c]].push_back(sim.node(static_cast<NodeId>(n_ + c)).name());
        }
    }
    return out;
}

sim::Rng Injector::fault_rng(const FaultSpec& spec) const {
    return world_.sim->fork_rng("faults.act")
        .fork(spec.kind)
        .fork(static_cast<uint64_t>(spec.at.ns()));
}

}  // namespace stormlog::faults
