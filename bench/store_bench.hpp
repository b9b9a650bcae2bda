#pragma once
// The store's time compression: simulated seconds per wall-clock second for the built-in
// `store-steady` scenario - 5 nodes, 50 ms heartbeats, 4 clients at 25 operations per simulated
// second each (about 70 appends and 30 reads a second), every property on (Raft's safety
// properties continuously, the store's at every apply, linearizability of the whole history at
// the end). It decides how many seeds a suite can afford.

#include <ostream>

namespace stormlog::bench {

// Simulated seconds per wall second over `runs` seeds of store-steady.
double store_time_compression(int runs);

// Prints `BENCH store.time_compression ratio=<x> runs=<n> sim_s=<s> wall_s=<w>`. Returns 0, or 1 if
// a run failed (a benchmark of a broken run measures nothing).
int run_store_bench(std::ostream& out);

// The same for the ledger system on the store (`ledger-steady`: 3 store nodes, 4 ledger workers at
// 10 commands a second, four projections, every property on):
// `BENCH ledger.time_compression ratio=<x> ...`.
int run_ledger_bench(std::ostream& out);

}  // namespace stormlog::bench
