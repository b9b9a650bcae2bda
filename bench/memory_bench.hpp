#pragma once
// Memory over a long run: `store-steady` and `ledger-steady` stretched to one simulated hour (their
// load, cluster and checks unchanged), each in a child process, printing its peak RSS against a
// stated bound. Everything grows linearly with the run; what grows:
//   - the system's own state: the event store keeps every event on every node (it is the data);
//     the Raft log is compacted into snapshots in memory, but raft.log and raft.ids on the
//     simulated disk are never cut at the front (only reset when a snapshot replaces the whole
//     log), so every record ever written stays on every node's disk: the largest share of the
//     store's hour (a known limit of the log store, not of the simulator); the disk cache holds
//     at most Disk::k_pending_ops_max operations per file;
//   - the checkers: per committed index a digest (Raft safety, the store's reference), per client
//     call an entry of the history (the end-of-run linearizability check, whose search is capped
//     by a poll budget, so its time is bounded; its memory is the history's, linear in the calls);
//   - the trace: a running hash, no records unless asked for.
// Everything is linear in the operations the workload issues, so an hour is a fixed, stated size.

#include <ostream>

namespace stormlog::bench {

// Prints `BENCH memory.<scenario> sim_s=3600 wall_s=... rss_peak_mib=... bound_mib=...` for each
// scenario. Returns 0, or 1 if a run did not pass or went over its bound.
int run_memory_bench(std::ostream& out);

}  // namespace stormlog::bench
