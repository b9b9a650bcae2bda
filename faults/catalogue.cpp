#include "faults/catalogue.hpp"

namespace stormlog::faults {
namespace {

constexpr double k_ms = 1e6;
constexpr double k_s = 1e9;

ParamInfo rate(const char* name, const char* what, double def) {
    return ParamInfo{name, ParamType::number, 0.0, 1.0, def, what};
}

ParamInfo duration(const char* name, double ns_min, double ns_max, double def_ns,
                   const char* what) {
    return ParamInfo{name, ParamType::duration, ns_min, ns_max, def_ns, what};
}

// Where a partition puts the client nodes (the workload's nodes after the cluster's). 0 leaves
// their links alone, as partitions always did; 1 puts each on a random side, cut off from the
// rest - a deposed leader that some clients still reach is how stale reads happen (Jepsen).
ParamInfo clients_param() {
    return ParamInfo{
        "clients", ParamType::integer,
        0,         1,
        0,         "1: each client node joins a random side, cut off from the other side(s)"};
}

std::vector<FaultKindInfo> build() {
    using C = Category;
    using I = Impact;
    return {
        // ---- network ----
        {"partition",
         C::network,
         "cut the links between the given sides (\"sides\": the exact layout, required)",
         false,
         true,
         I::unavailable,
         {}},
        {"partition-halves",
         C::network,
         "split the cluster into two halves (the odd node joins a random side)",
         false,
         true,
         I::unavailable,
         {clients_param()}},
        {"partition-minority",
         C::network,
         "cut a random minority off from the majority",
         false,
         true,
         I::unavailable,
         {clients_param()}},
        {"isolate",
         C::network,
         "cut the target nodes off from every other node, both ways",
         true,
         true,
         I::unavailable,
         {clients_param()}},
        {"partition-bridge",
         C::network,
         "two halves that only one bridge node can reach both of",
         false,
         true,
         I::unavailable,
         {clients_param()}},
        {"partition-ring",
         C::network,
         "every node reaches only its two ring neighbours",
         false,
         true,
         I::unavailable,
         {clients_param()}},
        {"partition-one-way",
         C::network,
         "the target nodes can receive but not send (one-way links)",
         true,
         true,
         I::unavailable,
         {clients_param()}},
        {"clog",
         C::network,
         "hold all traffic of the target nodes, then release it in order",
         true,
         true,
         I::unavailable,
         {}},
        {"packet-loss",
         C::network,
         "drop packets on every link",
         false,
         true,
         I::none,
         {rate("rate", "probability a packet is dropped", 0.1)}},
        {"packet-duplication",
         C::network,
         "deliver packets twice on every link",
         false,
         true,
         I::none,
         {rate("rate", "probability a packet is duplicated", 0.1)}},
        {"packet-corruption",
         C::network,
         "flip a bit in packets on every link (checksums must catch it)",
         false,
         true,
         I::none,
         {rate("rate", "probability a packet is corrupted", 0.05)}},
        {"latency-spike",
         C::network,
         "raise every link's latency",
         false,
         true,
         I::none,
         {duration("latency", 0, 60 * k_s, 200 * k_ms,
                   "added latency (maximum; the minimum rises by half)")}},
        // ---- node ----
        {"crash",
         C::node,
         "crash the target nodes (power loss); they restart when the fault ends",
         true,
         true,
         I::unavailable,
         {}},
        {"restart",
         C::node,
         "crash and immediately restart the target nodes",
         true,
         false,
         I::none,
         {}},
        {"power-loss",
         C::node,
         "crash every node at once (unsynced writes lost or torn); all restart when the fault ends",
         false,
         true,
         I::unavailable,
         {}},
        {"pause",
         C::node,
         "stop scheduling the target nodes (GC pause, VM freeze); timers keep running",
         true,
         true,
         I::unavailable,
         {}},
        {"wipe-disk",
         C::node,
         "crash the target nodes and erase their disks; they restart empty when the fault ends",
         true,
         true,
         I::corrupt,
         {}},
        // ---- disk ----
        {"lose-unsynced",
         C::disk,
         "crash the target nodes losing every unsynced write; restart when the fault ends",
         true,
         true,
         I::unavailable,
         {}},
        {"torn-write",
         C::disk,
         "crash the target nodes tearing their last unsynced write; restart when the fault ends",
         true,
         true,
         I::corrupt,
         {}},
        {"bit-rot",
         C::disk,
         "flip bits at rest on the target nodes' disks",
         true,
         true,
         I::corrupt,
         {ParamInfo{"bits", ParamType::integer, 1, 1000, 1, "how many bits flip"},
          ParamInfo{"then_restart", ParamType::integer, 0, 1, 0,
                    "1: restart the targets when the fault ends, so recovery reads the rot"}}},
        {"misdirected-write",
         C::disk,
         "writes may land at another offset of the same file",
         true,
         true,
         I::corrupt,
         {rate("rate", "probability a write is misdirected", 0.2)}},
        {"latent-error",
         C::disk,
         "sectors that fail reads with an I/O error until rewritten",
         true,
         true,
         I::corrupt,
         {ParamInfo{"sectors", ParamType::integer, 1, 1000, 1, "how many sectors go bad"}}},
        {"disk-full",
         C::disk,
         "writes on the target nodes fail with disk full",
         true,
         true,
         I::unavailable,
         {}},
        {"disk-stall",
         C::disk,
         "every I/O on the target nodes waits until the fault ends",
         true,
         true,
         I::unavailable,
         {}},
        // A failed fsync drops the unsynced writes it covered (Linux's fsyncgate semantics): a
        // system that honours the error stops and recovers from its disk, losing only what it
        // never promised - lose-unsynced's impact, for the whole window (it may fail again at
        // each restart).
        {"fsync-error",
         C::disk,
         "fsyncs on the target nodes fail, dropping the unsynced writes they covered",
         true,
         true,
         I::unavailable,
         {rate("rate", "probability an fsync with dirty data fails", 0.3)}},
        // A refused truncate leaves the file as it was; the node may be unable to drop a
        // conflicting suffix (or to recover) until the fault ends.
        {"truncate-error",
         C::disk,
         "truncates on the target nodes fail with an I/O error, changing nothing",
         true,
         true,
         I::unavailable,
         {rate("rate", "probability a truncate fails", 0.5)}},
        // ---- clock ----
        {"clock-skew",
         C::clock,
         "the target nodes' clocks read ahead or behind by an offset",
         true,
         true,
         I::none,
         {duration("offset", -3600 * k_s, 3600 * k_s, 500 * k_ms,
                   "how far ahead (negative: behind)")}},
        {"clock-drift",
         C::clock,
         "the target nodes' clocks run fast or slow",
         true,
         true,
         I::none,
         {ParamInfo{"ppm", ParamType::integer, -500000, 500000, 1000,
                    "parts per million (negative: slow)"}}},
        {"clock-jump",
         C::clock,
         "the target nodes' clocks jump by a delta at once",
         true,
         false,
         I::none,
         {duration("delta", -3600 * k_s, 3600 * k_s, 5 * k_s, "the jump (negative: backwards)")}},
        // ---- application (carried out by the workload; the store's budget does not count them)
        // ----
        {"projection-crash",
         C::application,
         "crash a projection's process; it restarts (and resumes from its checkpoint) when the "
         "fault ends",
         false,
         true,
         I::none,
         {ParamInfo{"projection", ParamType::integer, -1, 64, -1,
                    "which projection (0-based; -1: a random one)"}}},
        {"projection-disk-rot",
         C::application,
         "flip a bit at rest in one of a projection's two checkpoint slots and crash the "
         "projection; it restarts when the fault ends and must notice (the older slot, or a "
         "rebuild)",
         false,
         true,
         I::none,
         {ParamInfo{"projection", ParamType::integer, -1, 64, -1,
                    "which projection (0-based; -1: a random one)"}}},
        {"projection-rebuild",
         C::application,
         "crash a projection, drop its checkpoint and read model, and restart it: it replays the "
         "log from position 0",
         false,
         false,
         I::none,
         {ParamInfo{"projection", ParamType::integer, -1, 64, -1,
                    "which projection (0-based; -1: a random one)"}}},
        {"slow-handler",
         C::application,
         "a projection's handler takes longer per event",
         false,
         true,
         I::none,
         {ParamInfo{"projection", ParamType::integer, -1, 64, -1,
                    "which projection (0-based; -1: a random one)"},
          duration("delay", 0, 60 * k_s, 20 * k_ms, "added time per event")}},
        {"service-crash",
         C::application,
         "crash a ledger service worker (its process) mid-command; it restarts when the fault ends",
         false,
         true,
         I::none,
         {ParamInfo{"worker", ParamType::integer, -1, 100, -1,
                    "which worker (0-based; -1: a random one)"}}},
        {"poison-event",
         C::application,
         "the workload appends an event no projection can decode (a newer schema)",
         false,
         false,
         I::none,
         {ParamInfo{"count", ParamType::integer, 1, 100, 1, "how many poison events"}}},
        {"downstream-outage",
         C::application,
         "the projections' downstream dependency stops answering",
         false,
         true,
         I::none,
         {}},
        {"load-burst",
         C::application,
         "the workload's clients run faster",
         false,
         true,
         I::none,
         {ParamInfo{"factor", ParamType::number, 1, 100, 5, "rate multiplier"}}},
        {"store-outage",
         C::application,
         "cut the application's nodes off from every store node, both ways",
         false,
         true,
         I::none,
         {}},
    };
}

}  // namespace

const std::vector<FaultKindInfo>& catalogue() {
    static const std::vector<FaultKindInfo> kinds = build();
    return kinds;
}

const FaultKindInfo* find_kind(std::string_view name) {
    for (const FaultKindInfo& k : catalogue()) {
        if (k.name == name) return &k;
    }
    return nullptr;
}

const ParamInfo* find_param(const FaultKindInfo& kind, std::string_view name) {
    for (const ParamInfo& p : kind.params) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

std::string_view category_name(Category c) {
    switch (c) {
        case Category::network:
            return "network";
        case Category::node:
            return "node";
        case Category::disk:
            return "disk";
        case Category::clock:
            return "clock";
        case Category::application:
            return "application";
    }
    return "?";
}

}  // namespace stormlog::faults

namespace stormlog::faults {

bool takes_sides(const FaultKindInfo& kind) {
    return kind.name == "partition" || kind.name == "partition-halves" ||
           kind.name == "partition-minority" || kind.name == "partition-bridge" ||
           kind.name == "partition-ring" || kind.name == "isolate" ||
           kind.name == "partition-one-way";
}

bool requires_sides(const FaultKindInfo& kind) {
    return kind.name == "partition";
}

}  // namespace stormlog::faults
