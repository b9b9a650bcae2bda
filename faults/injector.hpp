#pragma once
// The fault injector: carries out a schedule of scripted faults and a seeded random nemesis on a
// simulated world, under a fault budget, and records every fault it applied and when it healed.
//
// The budget (`within`) counts a node as faulty while it is crashed, paused, clogged, cut off
// from a majority (its direct two-way links reach fewer than a majority, itself included), or
// holds corrupt data (for the corrupting fault's window and k_repair_grace after it: the time the
// system has to repair it - and, when the world can tell, until the node is repaired: a node that
// lost its disk and could not catch up yet still holds no usable copy, and several such nodes
// together would leave no majority that can elect a leader).
// A fault that would make more than a minority faulty at once is skipped, and recorded as such.
// Under `within`, every fault heals by `heal_all_at` (the start of the quiet period).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/catalogue.hpp"
#include "faults/schedule.hpp"
#include "sim/disk.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

namespace stormlog::faults {

// What the injector acts on. Faults whose part is missing (no network, no disks) are skipped.
struct World {
    sim::Simulation* sim = nullptr;
    sim::Network* network = nullptr;
    std::vector<sim::Disk*> disks;    // by node id
    sim::LinkSettings link_defaults;  // what links return to when a network fault heals
    // The system's current leader, for `target: leader`; unset or nullopt: the fault is skipped.
    std::function<std::optional<sim::NodeId>()> leader;
    // Nodes 0..nodes-1 are the cluster the faults and the budget are about (0: every node).
    // Nodes after them (clients) are never targets and never count against the budget; links to
    // them are touched by faults that act on every link (loss, duplication, corruption, latency)
    // and by partitions with `clients` 1, which put each client on a side.
    size_t nodes = 0;
    // Carries out an application fault (`heal` false: start it; true: end it). Returns whether
    // the workload has the part it acts on; unset: application faults are skipped. At the start
    // the workload writes what it chose (which projection, which worker) into spec.params, so
    // the applied fault's explicit form names it.
    std::function<bool(FaultSpec& spec, bool heal)> application;
    // Whether node n still lacks a usable copy of its data (it abstains after losing its disk,
    // or holds corrupt entries awaiting repair). Unset: k_repair_grace is taken as enough.
    std::function<bool(sim::NodeId n)> awaits_repair;
    // Told of every applied fault as it starts (`healed` false) and as it heals (true), by its
    // index in Injector::applied(). An observer (a run's report): it must not act on the world.
    std::function<void(size_t index, bool healed)> on_fault;
};

struct AppliedFault {
    std::string kind;
    std::string origin;  // "scripted" or "nemesis"
    std::vector<sim::NodeId> targets;
    sim::Time at;
    sim::Time healed_at = sim::Time::max();  // max while active; == at for instant faults
    std::string detail;
    // The fault exactly as it happened: `at` its start, the targets by node, a partition's layout
    // in `sides` (client nodes included) where it was drawn, an application fault's choices in
    // its params. Scripted with its `for` (healed_at - at), it replays this fault with no draw.
    FaultSpec spec;
};

// A fault the injector did not apply, and why: a scripted one is a request the user made, and a
// run that quietly leaves it out would be testing something else than they asked for.
struct SkippedFault {
    std::string kind;
    std::string origin;  // "scripted" or "nemesis"
    sim::Time at;
    std::string why;  // "no leader at that moment", "beyond the budget: ...", ...
};

struct InjectorStats {
    uint64_t applied = 0;
    uint64_t skipped_budget = 0;
    uint64_t skipped_no_target = 0;  // no leader known, or the world lacks the part
};

class Injector {
  public:
    // How long after a corrupting fault heals its node still counts as holding a bad copy.
    static constexpr sim::Duration k_repair_grace = sim::Duration::seconds(3);
    // After the grace, how often to ask whether a damaged node is repaired.
    static constexpr sim::Duration k_repair_poll = sim::Duration::millis(100);

    Injector(World world, std::vector<FaultSpec> scripted, NemesisSpec nemesis, Budget budget,
             sim::Time heal_all_at);
    ~Injector();
    Injector(const Injector&) = delete;
    Injector& operator=(const Injector&) = delete;

    // Schedules the scripted faults, the nemesis and the final heal. Call once, before running.
    void start();

    const std::vector<AppliedFault>& applied() const { return log_; }
    const std::vector<SkippedFault>& skipped() const { return skipped_; }
    const InjectorStats& stats() const { return stats_; }
    // When the last fault healed (zero if none was applied); max if one is still active.
    sim::Time last_heal() const;
    // Nodes the budget counts as faulty right now.
    std::vector<bool> faulty_nodes() const;

    // Applies one fault now (as the scheduled ones are). Returns whether it was applied.
    bool apply(const FaultSpec& spec, const std::string& origin);

    // Blocks (delta +1) or unblocks (-1) the directed link a -> b, counted together with the
    // faults' own cuts: a link comes back only when the last cut of it ends. A workload's
    // application fault that cuts links (the ledger's store outage) uses it, so that it and a
    // partition overlapping it do not heal each other's links.
    void block_link(sim::NodeId a, sim::NodeId b, int delta);

    // A side of a partition a client node may join: the cluster nodes it then cannot send to,
    // and those it cannot hear from (both: the other sides; one-way partitions cut one of them).
    struct ClientSide {
        std::vector<sim::NodeId> no_send;
        std::vector<sim::NodeId> no_receive;
    };

  private:
    struct Active;
    using Links = std::vector<std::pair<sim::NodeId, sim::NodeId>>;

    bool choose_targets(const FaultSpec& spec, const FaultKindInfo& kind,
                        std::vector<sim::NodeId>& out);
    // The links a network fault cuts between cluster nodes; for a partition, `sides` (if given)
    // receives the sides a client node may join and `layout` the cluster nodes of each side (as
    // FaultSpec::sides names them).
    Links partition_links(const FaultKindInfo& kind, const std::vector<sim::NodeId>& targets,
                          std::vector<ClientSide>* sides = nullptr,
                          std::vector<std::vector<sim::NodeId>>* layout = nullptr);
    // The links that put every client node on a random one of `sides` (drawn on the clients'
    // own stream, so the cluster's draws stay where they were); `chosen` receives each client's
    // side.
    Links client_links(const std::vector<ClientSide>& sides, std::vector<size_t>& chosen);
    // The links an exact layout (FaultSpec::sides, resolved to nodes) cuts: between cluster
    // nodes into `cluster`, those with a client node into `clients`.
    void layout_links(const FaultKindInfo& kind, const std::vector<std::vector<sim::NodeId>>& sides,
                      Links& cluster, Links& clients) const;
    // The node named `name`; false if the world has none.
    bool node_named(const std::string& name, sim::NodeId& out) const;
    // The applied fault's explicit form (AppliedFault::spec): `layout` the cluster nodes of each
    // side of a drawn partition, `chosen` the side each client node joined (empty: none did).
    FaultSpec explicit_spec(const FaultSpec& spec, const FaultKindInfo& kind,
                            const std::vector<sim::NodeId>& targets,
                            const std::vector<std::vector<sim::NodeId>>& layout,
                            const std::vector<size_t>& chosen) const;
    // A stream of its own for what one fault draws as it acts (which sectors go bad): a function
    // of the fault's kind and time, so no other fault's presence shifts it.
    sim::Rng fault_rng(const FaultSpec& spec) const;
    // The cluster nodes not in `nodes`.
    std::vector<sim::NodeId> others(const std::vector<sim::NodeId>& nodes) const;
    // How many cluster nodes would count as faulty with this fault applied (for a power loss:
    // how many are faulty already).
    size_t faulty_count(const FaultKindInfo& kind, const std::vector<sim::NodeId>& targets,
                        const Links& links) const;
    bool within_budget(const FaultKindInfo& kind, size_t faulty) const;
    // Why within_budget refused, with the count.
    std::string beyond_budget_reason(const FaultKindInfo& kind, size_t faulty) const;
    std::string no_target_reason(const FaultSpec& spec, const FaultKindInfo& kind) const;
    void skip(const FaultSpec& spec, const std::string& origin, std::string why);
    std::vector<bool> faulty_with(const std::vector<sim::NodeId>& extra,
                                  const Links& extra_links) const;
    bool world_has_part(const FaultKindInfo& kind) const;
    void act(Active& a);
    void heal(Active& a);
    void heal_all();
    // Ends node t's count of a healed corrupting fault once the node is repaired (or the faults
    // all heal: no budget is kept after that).
    void release_corrupt(sim::NodeId t);
    void recompute_links();
    void next_nemesis_fault(sim::Time at);
    FaultSpec draw_nemesis_fault(sim::Time at);
    std::string describe(const FaultSpec& spec) const;

    World world_;
    std::vector<FaultSpec> scripted_;
    NemesisSpec nemesis_;
    Budget budget_;
    sim::Time heal_all_at_;
    sim::Rng rng_;
    sim::Rng client_rng_;  // where partitions put client nodes; the nemesis's `clients` draws
    size_t n_;
    size_t total_;                  // every node of the world: the cluster's, then the clients'
    std::vector<int> blocked_;      // total_*total_: active cuts of from -> to
    std::vector<int> unavailable_;  // per node: active faults that make it unavailable
    std::vector<int> corrupt_;      // per node: active faults whose corruption awaits repair
    std::vector<int> crashed_;      // per node: active crash-like faults (restart at zero)
    std::vector<int> paused_;
    std::vector<double> torn_default_;  // per disk: its torn-write probability outside faults
    std::vector<std::unique_ptr<Active>> active_;
    std::vector<AppliedFault> log_;
    std::vector<SkippedFault> skipped_;
    InjectorStats stats_;
    std::vector<sim::TimerId> timers_;
};

}  // namespace stormlog::faults
