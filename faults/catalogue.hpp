#pragma once
// The fault catalogue: every kind of fault stormlog can inject, with its parameters and a
// one-line description. The scenario validator checks fault entries against it, the injector
// applies them, and `stormlog list faults` prints it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stormlog::faults {

// application: faults on the system's own processes and load (projection crash, slow handler,
// poison event, downstream outage, load burst, store outage as the application sees it). The
// injector hands them to the workload (World::application), which owns those parts.
enum class Category { network, node, disk, clock, application };

enum class ParamType { duration, number, integer };

struct ParamInfo {
    std::string name;
    ParamType type;
    double min;  // for durations: nanoseconds
    double max;
    double default_value;  // for durations: nanoseconds
    std::string description;
};

// What a fault does to the nodes it touches, for the fault budget.
enum class Impact {
    none,         // network-wide or clock: the system is built to tolerate it on every node
    unavailable,  // the node is crashed, paused, or cut off for the fault's duration
    corrupt,      // the node holds corrupt data until the fault's window ends (repair time)
};

struct FaultKindInfo {
    std::string name;
    Category category;
    std::string description;
    bool takes_target;    // acts on chosen nodes (a node id, leader, random, minority, majority)
    bool takes_duration;  // has a `for`; healed when it ends
    Impact impact;
    std::vector<ParamInfo> params;
};

const std::vector<FaultKindInfo>& catalogue();
// Whether the kind cuts links by a layout that a fault's `sides` may give exactly (partitions,
// isolate); "partition" has no random layout and requires them.
bool takes_sides(const FaultKindInfo& kind);
bool requires_sides(const FaultKindInfo& kind);
// nullptr if there is no such kind.
const FaultKindInfo* find_kind(std::string_view name);
const ParamInfo* find_param(const FaultKindInfo& kind, std::string_view name);
std::string_view category_name(Category c);

}  // namespace stormlog::faults
