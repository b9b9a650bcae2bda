#pragma once
// kernel-smoke: exercises every kernel primitive from the command line until the real system
// lands. Four nodes exchange data messages and request/reply pairs through channels, delivered
// by timers after seeded delays; replies travel through promises with timeouts; each node keeps a
// cancellable silence timer. n2 crashes at 3 s and restarts at 4 s; n3 pauses from 6 s to 6.5 s.
// Its invariants: nothing is received that was not sent, nothing twice, nothing by a node while
// it is down or paused, every reply matches its request, and the restarted node works again.

#include "workloads/run_result.hpp"
#include "workloads/workload.hpp"

namespace stormlog::workloads {

RunResult run_kernel_smoke(const RunOptions& options);

const Workload& kernel_smoke_workload();

}  // namespace stormlog::workloads
