#include "faults/budget.hpp"

#include <algorithm>

namespace stormlog::faults {
namespace {

size_t target_size(TargetKind target, size_t nodes, size_t listed) {
    switch (target) {
        case TargetKind::nodes:
            return listed;
        case TargetKind::minority:
            return std::max<size_t>(1, faulty_max_within(nodes));
        case TargetKind::majority:
            return nodes / 2 + 1;
        case TargetKind::all:
            return nodes;
        default:
            return 1;  // a node, the leader, a follower, a random one
    }
}

std::string too_many(size_t faulty, size_t nodes) {
    return "it makes " + std::to_string(faulty) + " of " + std::to_string(nodes) +
           " nodes faulty, and budget \"within\" allows " +
           std::to_string(faulty_max_within(nodes));
}

}  // namespace

std::string never_within_budget(const FaultKindInfo& kind, TargetKind target, size_t nodes,
                                size_t listed) {
    if (kind.takes_target && (kind.impact != Impact::none || kind.name == "restart")) {
        const size_t faulty = target_size(target, nodes, listed);
        return faulty > faulty_max_within(nodes) ? too_many(faulty, nodes) : "";
    }
    // Nobody reaches a majority: every node counts as cut off.
    if (kind.name == "partition-halves" && nodes % 2 == 0 && nodes >= 2)
        return too_many(nodes, nodes);
    if (kind.name == "partition-ring" && nodes >= 6) return too_many(nodes, nodes);
    return "";
}

}  // namespace stormlog::faults
