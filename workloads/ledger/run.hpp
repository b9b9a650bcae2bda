#pragma once
// The ledger workload's run, shared by its source files: ledger_workload.cpp (the deployment,
// the workers, the feeder), ledger_projections.cpp (the projections and the application faults)
// and ledger_monitor.cpp (metrics, alerts, the end-of-run checks and the summary). Not a public
// interface: scenarios/ledger_workload.hpp is.

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "properties/ledger/committed_log.hpp"
#include "properties/ledger/ledger_checker.hpp"
#include "properties/projections/projection_checker.hpp"
#include "properties/resilience/breaker_checker.hpp"
#include "workloads/cluster.hpp"
#include "workloads/ledger/workload.hpp"
#include "sim/env.hpp"
#include "system/monitoring/alerts.hpp"
#include "system/monitoring/metrics.hpp"
#include "system/projections/downstream.hpp"
#include "system/projections/runner.hpp"
#include "system/resilience/bulkhead.hpp"

namespace stormlog::workloads::ledger {

using sim::Duration;
using sim::NodeId;
using sim::Time;
using system::ledger::LedgerResult;
using system::ledger::LedgerStatus;
using system::projections::ProjectionRunner;
using system::resilience::BreakerState;
using system::resilience::CircuitBreaker;
using system::resilience::OverflowPolicy;

enum class Effect : uint8_t { none, notify, complete };

struct ProjectionSpec {
    const char* name;
    const char* kind;
    OverflowPolicy overflow;
    size_t capacity, high, low;
    Effect effect;
};

// The projections every ledger run deploys, in node order.
inline constexpr ProjectionSpec k_projections[] = {
    {"balances", "balances", OverflowPolicy::block, 64, 48, 16, Effect::none},
    {"account-history", "account-history", OverflowPolicy::block, 64, 48, 16, Effect::notify},
    {"totals", "totals", OverflowPolicy::reject, 32, 24, 8, Effect::none},
    {"transfers", "transfers", OverflowPolicy::block, 64, 48, 16, Effect::complete},
};
inline constexpr size_t k_projection_count = std::size(k_projections);

enum Op : uint8_t { op_open, op_deposit, op_withdraw, op_transfer, op_balance, op_count };
inline const char* const k_op_names[op_count] = {"open", "deposit", "withdraw", "transfer",
                                                 "balance"};
inline constexpr size_t k_status_count = 5;

inline const Duration k_sample_every = Duration::millis(100);
inline const Duration k_drain = Duration::seconds(1);  // workers stop this long before the end
inline const Duration k_notify_timeout = Duration::millis(100);  // account-history's time limit

std::vector<std::string> node_names(const Scenario& s);
system::resilience::BreakerConfig store_breaker_config(const LedgerBugs& bugs);
system::resilience::BreakerConfig notifier_breaker_config(const LedgerBugs& bugs);
bool enabled_in(const std::set<std::string>& enabled, const std::string& p);

// Sets a slot to the runner of the running incarnation, and clears it when the incarnation dies.
class Slot {
  public:
    Slot(ProjectionRunner*& slot, ProjectionRunner& runner) : slot_(&slot) { slot = &runner; }
    ~Slot() { *slot_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

  private:
    ProjectionRunner** slot_;
};

class LedgerRun final : public system::ledger::BalanceSource {
  public:
    LedgerRun(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs);

    ~LedgerRun() override { cluster_.sim().shutdown(); }
    LedgerRun(const LedgerRun&) = delete;
    LedgerRun& operator=(const LedgerRun&) = delete;
    RunResult run();

    // ---- BalanceSource: degraded reads from the `balances` read model ---------------------
    system::ledger::StaleBalance balance(const std::string& account) const override;

  private:
    bool on(const std::string& p) const { return enabled_in(enabled_, p); }
    bool failed() const { return cluster_.sim().failed(); }
    void fail(const std::string& property, const std::string& node, const std::string& evidence);
    bool liveness_applies() const;
    Time stop_at() const { return cluster_.end() - k_drain; }

    std::array<const CircuitBreaker*, 3> breakers() const {
        return {&store_breaker_, &notifier_breaker_, &completer_breaker_};
    }

    // Transitions go to breaker.semantics; the breaker exists by the time it first transitions.
    CircuitBreaker::Listener listener(size_t which);

    // ---- Workers --------------------------------------------------------------------------

    std::string account(sim::Env& env) const;
    void work(sim::Env& env, int c, NodeId self);
    void open_accounts(sim::Env& env, system::store::StoreClient& conn, const std::string& me,
                       uint64_t& n);
    void record(Op op, const LedgerResult& r, const std::string& id, Time started);
    void query(sim::Env& env, system::store::StoreClient& conn, const std::string& account);

    // ---- The feeder: poison events on request -------------------------------------------

    void feed(sim::Env& env, NodeId self);

    // ---- Projections --------------------------------------------------------------------

    system::projections::SideEffect effect(Effect e);
    static std::optional<system::ledger::LedgerEvent> ledger_event(
        const system::store::RecordedEvent& e);

    // account-history sends every entry to the statement notifier, through its breaker.
    void notify(sim::Env& env, const system::store::RecordedEvent& e);

    // The transfer completer credits every debited transfer (idempotent by the credit's id).
    void complete(sim::Env& env, system::store::StoreClient& conn,
                  const system::store::RecordedEvent& e);
    void project(sim::Env& env, size_t p, NodeId self);
    void replay_parked();

    // ---- Application faults -------------------------------------------------------------

    size_t pick_projection(const faults::FaultSpec& f);
    bool application_fault(const faults::FaultSpec& f, bool heal);
    void cut_app_from_store(bool cut);
    void crash_counted(sim::Process& p, int& active, bool heal);

    // ---- Monitoring ---------------------------------------------------------------------

    void add_alerts();
    void sample();

    // ---- At the end ---------------------------------------------------------------------

    void check_acked();
    void check_liveness();
    void summarize(RunResult& r) const;

    // " lag-balances 5.2s..9.1s, breaker-open-notifier 12s..(firing)", the first few.
    std::string describe_firings() const;

    Cluster cluster_;
    LedgerBugs bugs_;
    std::set<std::string> enabled_;
    properties::ledger::CommittedLog log_;
    StoreDeployment store_;
    properties::ledger::LedgerChecker ledger_;
    properties::projections::ProjectionChecker projections_;
    properties::resilience::BreakerChecker breakers_;
    CircuitBreaker store_breaker_, notifier_breaker_, completer_breaker_;
    system::resilience::Bulkhead bulkhead_;  // at most 3 of the workers' store calls at once
    system::ledger::LedgerService service_, completer_;
    system::projections::Downstream notifier_;
    std::vector<std::unique_ptr<sim::Disk>> disks_;
    std::vector<sim::Process*> processes_;  // the projections'
    std::vector<sim::Process*> workers_;
    std::array<int, k_projection_count> projection_crashes_{};  // active crash faults
    std::vector<int> worker_crashes_;
    std::vector<ProjectionRunner*> runners_;
    std::array<Duration, k_projection_count> slow_{};
    std::array<bool, k_projection_count> rebuild_{};  // the next incarnation starts over
    std::array<bool, k_projection_count> above_{};    // a queue above its high watermark
    uint64_t high_watermarks_ = 0;                    // samples that found a queue newly above it
    std::array<uint64_t, k_projection_count> last_checkpoint_{};
    system::monitoring::Metrics metrics_;
    system::monitoring::Counter* commits_ = &metrics_.counter("store.commits");
    system::monitoring::Alerts alerts_;
    sim::Rng app_rng_;
    std::map<const faults::FaultSpec*, size_t> chosen_;
    double rate_factor_ = 1.0;
    int outages_ = 0, store_cuts_ = 0;
    uint64_t poison_wanted_ = 0, poison_sent_ = 0;
    std::array<std::array<uint64_t, k_status_count>, op_count> ops_{};
    std::vector<std::string> acked_;
    uint64_t acked_lost_ = 0, degraded_reads_ = 0, credits_left_ = 0, max_stated_lag_ = 0,
             max_lag_ = 0;
};

}  // namespace stormlog::workloads::ledger
