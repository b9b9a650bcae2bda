#pragma once
// The header of a timeline: its settings, hosts and groups (the format: timeline.hpp). Not a
// public interface: timeline.hpp is.

#include <optional>
#include <string>
#include <vector>

#include "scenarios/incident/timeline.hpp"

namespace stormlog::scenarios::incident {

// A node name a host may map to: a cluster node "n<i>", or a client node of the workload.
struct NodeName {
    bool cluster = false;
    int number = 0;  // i of "n<i>", "c<i>" or "w<i>", from 1
};

// "n3" -> {cluster, 3}; "c2" (store) or "w2" (ledger) -> {client, 2}; nullopt otherwise.
std::optional<NodeName> parse_node_name(const std::string& s, const std::string& workload);

// The prefix of the workload's client nodes: "c" (store clients) or "w" (ledger workers).
std::string client_prefix(const std::string& workload);

// Reads every header record into `out` (settings, node_of, groups), the node and client counts
// resolved. Returns false when a problem was found.
bool read_header(const std::vector<Record>& header, Problems& problems, Timeline& out);

}  // namespace stormlog::scenarios::incident
