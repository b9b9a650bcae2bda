#pragma once
// A fault schedule: scripted faults (at, for, target) and a seeded random nemesis, under a
// fault budget. Scenario files describe one; the Injector carries it out.

#include <map>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace stormlog::faults {

using sim::Duration;

// follower: a random node that is up and is not the current leader. nodes: exactly the listed
// ones (what a run's explicit schedule names, `stormlog run --dump-scenario`).
enum class TargetKind { node, leader, follower, random, minority, majority, all, nodes };

struct TargetSpec {
    TargetKind kind = TargetKind::random;
    int node = 0;            // 0-based index, for TargetKind::node ("n1" is 0)
    std::vector<int> nodes;  // 0-based, sorted and distinct, for TargetKind::nodes
    bool operator==(const TargetSpec&) const = default;
};

struct FaultSpec {
    std::string kind;   // a name from faults::catalogue()
    Duration at;        // from the start of the run
    Duration duration;  // `for`; zero for instant faults
    TargetSpec target;
    std::map<std::string, double> params;  // durations in nanoseconds; defaults filled in
    // A partition's exact layout instead of a random one, by node name (cluster nodes "n<i>" and
    // the workload's other nodes, such as clients). Two-way kinds: two named nodes talk iff some
    // side holds both; a node named nowhere keeps its links; two non-cluster nodes are never cut
    // apart. partition-one-way: two sides, and only links from the first to the second are cut.
    std::vector<std::vector<std::string>> sides;
    bool operator==(const FaultSpec&) const = default;
};

struct NemesisSpec {
    bool enabled = false;
    Duration window_start;  // faults start within [window_start, window_end)
    Duration window_end;
    Duration mean_interval = Duration::seconds(2);  // exponential gaps between faults
    Duration fault_min = Duration::millis(500);     // each fault lasts within [min, max]
    Duration fault_max = Duration::seconds(3);
    std::map<std::string, double> kinds;  // kind -> weight (> 0)
    // The probability that a partition the nemesis draws puts the client nodes on its sides
    // (`clients` 1); 0 draws nothing, so a nemesis without it runs as it always did.
    double client_partitions = 0;
};

// `within`: faults never overlap beyond what the cluster tolerates (at most a minority of nodes
// unavailable or holding corrupt data at once) and all heal before the quiet period; then every
// property, liveness included, must hold. `beyond`: anything goes; only safety must hold.
enum class Budget { within, beyond };

}  // namespace stormlog::faults
