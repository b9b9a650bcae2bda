#pragma once
// The projections of the ledger workload, one node each (p-<name>) with its own disk for its
// checkpoints: balances (which also answers the service's degraded reads), account-history (calls
// the "notifier" downstream through its breaker, within a time limit), totals (a reject-on-full
// queue) and transfers (the transfer completer: credits every debited transfer through the
// "completer-store" breaker). Carries out the projection faults.

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/disk.hpp"
#include "sim/env.hpp"
#include "system/ledger/ledger_service.hpp"
#include "system/projections/downstream.hpp"
#include "system/projections/runner.hpp"
#include "system/resilience/circuit_breaker.hpp"
#include "workloads/ledger/checks.hpp"
#include "workloads/ledger/config.hpp"
#include "workloads/store/deployment.hpp"

namespace stormlog::workloads::ledger {

using system::projections::ProjectionRunner;

class Projections final : public system::ledger::BalanceSource {
  public:
    Projections(Cluster& cluster, StoreDeployment& store, Checks& checks, const LedgerBugs& bugs);
    Projections(const Projections&) = delete;
    Projections& operator=(const Projections&) = delete;

    // Adds each projection's disk and process, in k_projections order, and starts them; from the
    // last heal on, runners replay their parked events. REQUIRES: once, before the run.
    void start();
    void replay_parked();

    // ---- BalanceSource: degraded reads from the `balances` read model ---------------------
    system::ledger::StaleBalance balance(const std::string& account) const override;

    // ---- Application faults ---------------------------------------------------------------
    void crash(size_t p, bool heal);
    // Flips one bit at rest in one of projection p's checkpoint slots (a fault; see
    // projection-disk-rot).
    void rot_checkpoint(size_t p, sim::Rng& rng);
    void set_slow(size_t p, Duration delay);
    // Drops p's durable state and restarts it: it replays from position 0.
    void rebuild(size_t p);
    void set_downstream_outage(bool heal);

    // ---- Monitoring and the end -----------------------------------------------------------
    // The runner of projection p's running incarnation, or null while it is down.
    const ProjectionRunner* runner(size_t p) const { return runners_[p]; }
    const system::resilience::CircuitBreaker& notifier_breaker() const { return notifier_breaker_; }
    const system::resilience::CircuitBreaker& completer_breaker() const {
        return completer_breaker_;
    }
    // liveness.service: why not every event below the notifying projection's checkpoint (other
    // than parked ones and the system's own) reached the notifier; empty if all did.
    std::string undelivered() const;
    // "projections: log=576 balances=576 ... queues_above_high_watermark=N"
    std::string summary_line(uint64_t queues_above_high_watermark) const;

  private:
    system::projections::SideEffect effect(Effect e);
    // account-history sends every entry to the statement notifier, through its breaker.
    void notify(sim::Env& env, const system::store::RecordedEvent& e);
    // The transfer completer credits every debited transfer (idempotent by the credit's id).
    void complete(sim::Env& env, system::store::StoreClient& conn,
                  const system::store::RecordedEvent& e);
    void project(sim::Env& env, size_t p, NodeId self);
    system::resilience::CircuitBreaker::Listener listener(
        const system::resilience::CircuitBreaker& b);

    Cluster* cluster_;
    StoreDeployment* store_;
    Checks* checks_;
    const LedgerBugs* bugs_;
    system::resilience::CircuitBreaker notifier_breaker_, completer_breaker_;
    system::ledger::LedgerService completer_;
    system::projections::Downstream notifier_;
    std::vector<std::unique_ptr<sim::Disk>> disks_;
    std::vector<sim::Process*> processes_;
    std::vector<ProjectionRunner*> runners_;  // of the running incarnations (Slot keeps them)
    std::array<int, k_projection_count> crashes_{};  // active crash faults
    std::array<Duration, k_projection_count> slow_{};
    std::array<bool, k_projection_count> rebuild_{};  // the next incarnation starts over
    int outages_ = 0;                                 // active downstream outages
};

}  // namespace stormlog::workloads::ledger
