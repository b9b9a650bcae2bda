#pragma once
// The event store as a workload deploys it on a cluster: a StoreServer per cluster node (its
// process "store"), the Raft and store checkers on its observation taps, and what a workload
// asks of it - the current leader, the serving leader at the end, each node's state, a summary
// line. The `store` workload drives it with raw event-store clients; the `ledger` workload puts
// the ledger service and projections on top.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "properties/raft/raft_safety.hpp"
#include "properties/store/backoff_checker.hpp"
#include "properties/store/store_checker.hpp"
#include "system/store/client.hpp"
#include "system/store/decode_cache.hpp"
#include "system/store/server.hpp"
#include "workloads/cluster.hpp"
#include "workloads/store/recording_tap.hpp"

namespace stormlog::workloads {

// Deliberate bugs, switched on only by tests, to show that each property can fail.
struct StoreBugs {
    system::store::RaftBugs raft;
    system::store::EventStoreOptions state;    // bug_skip_idempotency, bug_ignore_expected_version
    system::store::LogStoreOptions storage;    // bug_truncate_corruption, bug_skip_ids_fsync,
                                               // bug_retry_failed_fsync
    bool replay_answered_as_conflict = false;  // StoreServerConfig's switch
    system::store::ClientBugs client;
};

class StoreDeployment final : public system::store::StoreObserver {
  public:
    // `enabled`: the properties to check (empty: all). Starts a server on every cluster node.
    StoreDeployment(Cluster& cluster, const StoreBugs& bugs, const std::set<std::string>& enabled);
    StoreDeployment(const StoreDeployment&) = delete;
    StoreDeployment& operator=(const StoreDeployment&) = delete;

    // Another listener of every apply (e.g. a checker that needs the committed events).
    void also_observe(system::store::StoreObserver* o) { listeners_.push_back(o); }

    // The node that leads the highest term, if any (for `target: leader` faults).
    std::optional<sim::NodeId> leader() const;
    // Whether node n holds no usable copy of the log yet: down (unknown), abstaining after a lost
    // disk, or holding corrupt entries or a gap awaiting repair (for the fault budget).
    bool awaits_repair(sim::NodeId n) const;
    // liveness.stable_leader, when it applies: no more than one leader elected from the quiet
    // period on (from the start, in a run without faults). Reports through the simulation.
    void check_stable_leader();
    // client.backoff over every call the clients made (clients take client_options()).
    void check_client_backoff();
    // The leader at the end, if it serves (has committed an entry of its term).
    const system::store::StoreServer* serving_leader() const;
    const system::store::StoreServer* server(sim::NodeId n) const { return servers_.at(n); }
    std::string name(const system::store::StoreServer* s) const;
    sim::NodeId node_of(const system::store::StoreServer* s) const;
    // How many nodes (the leader included) follow `leader` in its term.
    size_t followers_of(const system::store::StoreServer* leader) const;
    // Each node's role and term, and why it holds back if it does.
    std::string node_states() const;
    // "raft: leader=... commit=... (live incarnations: ...)"; `probe` describes the liveness probe.
    std::string raft_summary(const std::string& probe) const;
    // How a workload's clients should call the store.
    system::store::ClientOptions client_options() const;

    properties::store::StoreChecker& store_checker() { return store_; }

    void on_store_apply(sim::NodeId node, system::store::Index index,
                        const system::store::AppendCommand& command,
                        const system::store::AppendResult& result) override;

  private:
    void serve(sim::Env& env, sim::NodeId i);
    // liveness.no_disruption, as `candidate` starts an election for `term`.
    void check_disruption(sim::NodeId candidate, system::store::Term term);
    // The cluster nodes some fault touched at any moment from `from` on (every node for a fault
    // on the whole network), and those the budget counts faulty now.
    std::vector<bool> disturbed_since(sim::Time from) const;
    void violate(const std::string& property, sim::NodeId node, const std::string& evidence);

    Cluster* cluster_;
    StoreBugs bugs_;
    std::vector<system::store::StoreServer*> servers_;
    system::store::DecodeCache decode_cache_;  // one decoding of an entry serves every node
    std::vector<sim::Time> started_at_;        // by node: when its running incarnation started
    properties::raft::RaftSafety raft_;
    properties::store::StoreChecker store_;
    mutable properties::store::BackoffChecker backoff_;  // fed by clients of client_options()
    bool raft_on_ = true;
    bool disruption_on_ = true;
    std::map<uint64_t, sim::Time> stepped_down_;  // term -> when its leader stepped down
    std::vector<system::store::StoreObserver*> listeners_;
    std::unique_ptr<RecordingTap> tap_;  // a recorded run's Raft tap, in front of raft_
};

}  // namespace stormlog::workloads
