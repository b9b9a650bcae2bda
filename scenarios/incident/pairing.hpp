#pragma once
// From events to faults: each start is paired with its end into a fault with a start and an end
// time, each instant event becomes an instant fault, and hosts become the nodes they map to
// (the mapping of event kinds to fault kinds: timeline.hpp).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/incident/timeline.hpp"

namespace stormlog::scenarios::incident {

// A scripted fault in wall-clock time, with the lines it came from.
struct ImportedFault {
    std::string kind;  // a kind of faults::catalogue()
    int64_t start_ns = 0;
    int64_t end_ns = 0;  // == start_ns for an instant fault
    bool lasting = false;
    std::vector<std::string> target;                   // nodes, in node order (kinds that take one)
    std::vector<std::vector<std::string>> sides;       // partitions: the nodes of each side
    std::vector<std::pair<std::string, Json>> params;  // as the scenario file writes them
    size_t line = 0;                                   // the (first) start event's line
    size_t end_line = 0;  // the (last) end event's line; == line for an instant fault
};

// The faults of a checked timeline, ordered by start time, then line. A start is paired with the
// first end after it on the same nodes (per node for host events: a group's node-down may be
// ended host by host); node faults that start and end together become one fault on all their
// nodes. Problems: an end without its start, a start again before its end, a start that never
// ends, an end at its start's very time (a fault lasts more than 0s).
std::vector<ImportedFault> pair_events(const Timeline& t, Problems& problems);

}  // namespace stormlog::scenarios::incident
