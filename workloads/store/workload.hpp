#pragma once
// The `store` workload: the Raft-replicated event store under test (system/store).
//
// Every cluster node runs a StoreServer. Client nodes c1..cK (outside the cluster: faults never
// target them) each run one client that appends to and reads a handful of shared streams at
// `workload.rate` operations per second - with expected versions it learnt (so appends
// conflict), `any`, `no_stream` and `stream_exists`. Every call is recorded in the run's history
// (HISTORY_FORMAT.md, model `stream`) as ok, fail or info.
//
// Properties (all by default; a scenario may name a subset):
//   raft.election_safety, raft.leader_append_only, raft.log_matching,
//   raft.leader_completeness, raft.state_machine_safety      continuously (properties/raft)
//   store.expected_version, store.idempotent_append          at every apply (properties/store)
//   store.durability                                         at every apply and at the end
//   store.linearizable     the history, checked at the end with the stream model
//   liveness.leader        under `within`: at the end of the quiet period one node leads, with
//                          an entry of its term committed, and a majority follows it
//   liveness.commit        under `within`: a probe append issued when the last fault healed
//                          commits before the run ends

#include "system/store/event_store.hpp"
#include "system/store/log_store.hpp"
#include "system/store/raft.hpp"
#include "workloads/run_result.hpp"
#include "workloads/scenario.hpp"
#include "workloads/store/deployment.hpp"
#include "workloads/workload.hpp"

namespace stormlog::workloads {

const Workload& store_workload();

RunResult run_store(const Scenario& scenario, const RunOptions& options,
                    const StoreBugs& bugs = {});

}  // namespace stormlog::workloads
