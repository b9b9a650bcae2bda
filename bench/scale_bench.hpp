#pragma once
// How the cost grows with the cluster. The messaging workload (`messaging-steady`'s settings: 3
// senders per node at 40 messages a simulated second each, acked and journalled) at growing node
// counts, and the event store (`store-steady`'s settings) at 3, 5, 9 and 15 nodes: wall time per
// simulated network message, per committed entry (the store), and peak memory per node.
//
// Node counts above 15 are the messaging workload's alone (its scenario files go to 1024; Raft's
// workloads stop at 15). Each run is a child process, so its peak RSS is its own (the binary and
// its libraries included: a few MiB, which the per-node figure at 3 nodes still shows); each size
// runs 5 times and the fastest wall time is reported (a small cluster's run takes milliseconds).

#include <ostream>

namespace stormlog::bench {

// Prints one `BENCH scale.messaging nodes=<n> ...` line per messaging size and one
// `BENCH scale.store nodes=<n> ...` line per store size: sim_s, wall_s, messages,
// wall_us_per_message, (store) committed and wall_us_per_committed, rss_peak_mib and
// rss_peak_kib_per_node. Returns 0, or 1 if a run did not pass.
int run_scale_bench(std::ostream& out);

}  // namespace stormlog::bench
