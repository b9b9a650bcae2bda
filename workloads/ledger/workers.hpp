#pragma once
// The ledger service's side of the workload: workers w1..wK issue commands and balance queries
// through one LedgerService (its store calls guarded by the bulkhead, then the "ledger-store"
// breaker), recording what each operation was told; the feeder appends the poison events the
// poison-event fault asks for.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/env.hpp"
#include "sim/simulation.hpp"
#include "system/ledger/ledger_service.hpp"
#include "system/monitoring/metrics.hpp"
#include "system/resilience/bulkhead.hpp"
#include "system/resilience/circuit_breaker.hpp"
#include "system/store/client.hpp"
#include "workloads/ledger/checks.hpp"
#include "workloads/ledger/config.hpp"
#include "workloads/store/deployment.hpp"

namespace stormlog::workloads::ledger {

class Workers {
  public:
    // `balances` answers degraded reads; it must outlive the workers.
    Workers(Cluster& cluster, StoreDeployment& store, Checks& checks,
            system::monitoring::Metrics& metrics, const LedgerBugs& bugs,
            const system::ledger::BalanceSource& balances);
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    // Adds and starts the worker processes, then the feeder's. REQUIRES: once, before the run.
    void start();

    // ---- Application faults ---------------------------------------------------------------
    size_t count() const { return workers_.size(); }
    void crash(size_t worker, bool heal);
    void set_rate_factor(double factor) { rate_factor_ = factor; }
    void request_poison(uint64_t count) { poison_wanted_ += count; }

    // ---- At the end -----------------------------------------------------------------------
    const system::resilience::CircuitBreaker& breaker() const { return breaker_; }
    const system::resilience::Bulkhead& bulkhead() const { return bulkhead_; }
    // Event ids of the operations whose client was told ok.
    const std::vector<std::string>& acked() const { return acked_; }
    // Why the service does not serve, judged by each worker's last command if it was sent at or
    // after `since`: empty if every such command was decided (liveness.service).
    std::string not_serving(Time since) const;
    // "ledger: ops ok/all open=8/8 ... balance_sum=..."
    std::string summary_line() const;

  private:
    Time stop_at() const { return cluster_->end() - k_drain; }
    std::string account(sim::Env& env) const;
    void work(sim::Env& env, int c, NodeId self);
    void open_accounts(sim::Env& env, system::store::StoreClient& conn, const std::string& me,
                       uint64_t& n);
    void record(int c, Op op, const system::ledger::LedgerResult& r, const std::string& id,
                Time started);
    void query(sim::Env& env, system::store::StoreClient& conn, const std::string& account);
    void feed(sim::Env& env, NodeId self);

    Cluster* cluster_;
    StoreDeployment* store_;
    Checks* checks_;
    system::monitoring::Metrics* metrics_;
    system::resilience::CircuitBreaker breaker_;
    system::resilience::Bulkhead bulkhead_;  // at most 3 of the workers' store calls at once
    system::ledger::LedgerService service_;
    std::vector<sim::Process*> workers_;
    std::vector<int> crashes_;  // active service-crash faults per worker
    double rate_factor_ = 1.0;
    uint64_t poison_wanted_ = 0, poison_sent_ = 0;
    std::array<std::array<uint64_t, k_status_count>, op_count> ops_{};
    std::vector<std::string> acked_;
    struct LastCommand {
        std::string id;
        std::optional<Time> started;
        system::ledger::LedgerStatus status = system::ledger::LedgerStatus::ok;
        std::string error;
    };
    std::vector<LastCommand> last_;  // by worker
    uint64_t degraded_reads_ = 0, credits_left_ = 0, stated_lag_max_ = 0;
};

}  // namespace stormlog::workloads::ledger
