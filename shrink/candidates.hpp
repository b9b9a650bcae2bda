#pragma once
// The shrinker's moves: each turns a scenario into smaller candidates, in the order they are
// worth trying (the biggest cut first). Pure functions; whether a candidate still fails is the
// shrinker's business (shrink/shrinker.cpp). Internal to shrink/.

#include <vector>

#include "workloads/scenario.hpp"

namespace stormlog::shrink {

using workloads::Scenario;

// The fault's targets one node fewer, each way; its sides without the non-cluster nodes (clients
// kept where they were), then one side's cluster node fewer, each way.
std::vector<Scenario> narrowings(const Scenario& s, size_t fault);

// The fault at half its length, then a quarter, ... (at least 1 ms); none for instant faults.
std::vector<Scenario> shortenings(const Scenario& s, size_t fault);

// The run ending earlier: at least `lo` long, tried as a binary search's midpoints would be,
// shortest first; rounded to 100 ms; the quiet period kept, cut to fit.
std::vector<Scenario> shorter_runs(const Scenario& s, sim::Duration lo);

// Less load and fewer parts: clients, rate, streams, accounts, nodes (odd sizes down to 3, the
// faults' references to the dropped nodes removed), and FIFO scheduling.
std::vector<std::vector<Scenario>> smaller_setups(const Scenario& s);

// Every fault's time and length rounded to 100 ms, then 10 ms, then 1 ms (at least one step):
// a schedule a person can read.
std::vector<Scenario> roundings(const Scenario& s);

// When the last fault ends (zero if there is none).
sim::Duration faults_end(const Scenario& s);

}  // namespace stormlog::shrink
