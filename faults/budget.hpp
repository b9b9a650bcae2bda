#pragma once
// What the fault budget `within` can never allow, known before a run: a scripted fault that alone,
// on a healthy cluster, would make more than a minority of the nodes faulty. The injector would
// skip it in every run (faults/injector.hpp counts a node faulty while it is down, cut off from a
// majority, or holds corrupt data), so a scenario that asks for it is refused instead.

#include <cstddef>
#include <string>

#include "faults/catalogue.hpp"
#include "faults/schedule.hpp"

namespace stormlog::faults {

// How many of `nodes` the budget `within` lets be faulty at once.
constexpr size_t faulty_max_within(size_t nodes) {
    return nodes == 0 ? 0 : (nodes - 1) / 2;
}

// Why `kind` aimed at `target` can never fit budget `within` on a cluster of `nodes`, or "" when
// it may (whether it does depends on the other faults of the moment). Only certainties: a
// targeted fault that takes its targets down (or cuts them off, or corrupts them) makes at least
// its targets faulty; even halves and rings of six or more nodes leave nobody in a majority.
// `listed`: how many nodes a TargetKind::nodes target names.
std::string never_within_budget(const FaultKindInfo& kind, TargetKind target, size_t nodes,
                                size_t listed = 1);

}  // namespace stormlog::faults
