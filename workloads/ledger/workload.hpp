#pragma once
// The `ledger` workload: the whole event-sourced system on the store cluster.
//
//   workers w1..wK   the ledger service's workers: open accounts, deposit, withdraw, transfer,
//                    query balances (fresh from the store, or degraded from `balances`); one
//                    circuit breaker ("ledger-store") guards all their store calls
//   feeder           appends the poison events the poison-event fault asks for
//   p-<projection>   one node per projection, each with its own disk for its checkpoints:
//                    balances, account-history (calls the "notifier" downstream through a
//                    breaker), totals (reject-on-full queue), transfers (the transfer completer:
//                    credits every debited transfer, through breaker "completer-store")
// A monitor samples gauges every 100 ms and evaluates the alert rules (projection lag, open
// breakers, no store leader); firings are part of the result. Workers stop one second before the
// end, so projections can be seen caught up.
//
// Properties (all by default): the store's (raft.*, store.expected_version,
// store.idempotent_append, store.durability, liveness.leader), ledger.conservation,
// ledger.no_overdraft, projection.consistent, projection.checkpoint_monotonic,
// queue.no_silent_loss, breaker.semantics, liveness.projections (under `within`: at the end every
// projection runs with lag 0 and an empty queue, every breaker is closed, no alert fires, no
// transfer is in flight).

#include "system/ledger/ledger_service.hpp"
#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"
#include "workloads/store/deployment.hpp"
#include "workloads/workload.hpp"

namespace stormlog::workloads {

// Deliberate bugs and the seed's cautionary designs, switched on only by tests.
struct LedgerBugs {
    StoreBugs store;
    system::ledger::LedgerServiceOptions service;  // bug_debit_any_version, bug_credit_fresh_id
    bool breaker_half_open_admits_all = false;     // cautionary (b)
    bool breaker_ignore_open = false;
    bool breaker_count_stale_results = false;
    bool queue_drop_when_full = false;        // cautionary (c)
    bool projection_in_memory_dedup = false;  // cautionary (a)
    bool projection_load_oldest_slot = false;
    bool projection_checkpoint_only_every_n = false;
    bool projection_park_without_dead_letter = false;
    bool projection_drop_replay_request = false;
    bool notify_skip_when_open = false;
    bool projection_retry_without_backoff =
        false;  // a handler's retries go at once  // a notification the notifier's breaker refuses
                // is dropped
    bool projections_stop_on_park = false;  // the `stop` policy everywhere (not a bug: a policy)
};

const Workload& ledger_workload();

RunResult run_ledger(const Scenario& scenario, const RunOptions& options,
                     const LedgerBugs& bugs = {});

}  // namespace stormlog::workloads
