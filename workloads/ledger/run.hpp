#pragma once
// One run of the ledger workload: the store cluster (StoreDeployment), then its parts - the
// checkers (Checks), the service's workers and the feeder (Workers), the projections
// (Projections) and the monitoring (Monitor) - each owning its state. The run wires them, carries
// out the application faults, and checks and summarizes the end. Not a public interface:
// workloads/ledger/workload.hpp is.

#include <array>
#include <map>
#include <string>

#include "faults/schedule.hpp"
#include "sim/rng.hpp"
#include "workloads/cluster.hpp"
#include "workloads/ledger/checks.hpp"
#include "workloads/ledger/config.hpp"
#include "workloads/ledger/monitor.hpp"
#include "workloads/ledger/projections.hpp"
#include "workloads/ledger/workers.hpp"
#include "workloads/store/deployment.hpp"

namespace stormlog::workloads::ledger {

class LedgerRun {
  public:
    LedgerRun(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs);
    ~LedgerRun() { cluster_.sim().shutdown(); }  // fibers unwind while the parts they use exist
    LedgerRun(const LedgerRun&) = delete;
    LedgerRun& operator=(const LedgerRun&) = delete;

    RunResult run();

  private:
    bool liveness_applies() const;

    // ---- Application faults (faults::World::application) --------------------------------
    // Application faults write what they chose (projection, worker) into f.params: the applied
    // fault's explicit form then names it.
    bool application_fault(faults::FaultSpec& f, bool heal);
    size_t pick_projection(faults::FaultSpec& f);
    size_t pick_worker(faults::FaultSpec& f);
    // The draws of one application fault, on a stream of its own (a function of its kind and
    // time): no other fault's presence shifts them, so a shrinker may drop faults freely.
    sim::Rng fault_rng(const faults::FaultSpec& f) const;
    // The store outage as the application sees it: every link between its nodes and the store's.
    void cut_app_from_store(bool cut);

    // ---- At the end -----------------------------------------------------------------------
    void check_acked();
    void check_liveness();
    void check_service();
    // Why the system is not back to normal at the end (empty: it is).
    std::string not_recovered() const;
    void summarize(RunResult& r) const;

    Cluster cluster_;
    LedgerBugs bugs_;
    Checks checks_;
    StoreDeployment store_;
    Projections projections_;
    Monitor monitor_;
    Workers workers_;
    std::array<const system::resilience::CircuitBreaker*, 3> breakers_;
    std::map<const faults::FaultSpec*, size_t> chosen_;  // what an active fault acts on
    int store_cuts_ = 0;
    uint64_t acked_lost_ = 0;
};

}  // namespace stormlog::workloads::ledger
