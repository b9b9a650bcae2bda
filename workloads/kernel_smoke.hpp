#pragma once
// kernel-smoke: exercises every kernel primitive from the command line until the real system
// lands. Four nodes exchange data messages and request/reply pairs through channels, delivered
// by timers after seeded delays; replies travel through promises with timeouts; each node keeps a
// cancellable silence timer. n2 crashes at 3 s and restarts at 4 s; n3 pauses from 6 s to 6.5 s.
// Its invariants: nothing is received that was not sent, nothing twice, nothing by a node while
// it is down or paused, every reply matches its request, and the restarted node works again.

#include <optional>

#include "sim/time.hpp"
#include "workloads/run_result.hpp"
#include "workloads/workload.hpp"

namespace stormlog::workloads {

// `fail_assertion_at`: the test trigger of always-on assertions (workload.fail_assertion_at) - at
// that time a fiber of n1 fails an SL_ASSERT.
RunResult run_kernel_smoke(const RunOptions& options,
                           std::optional<sim::Duration> fail_assertion_at = {});

const Workload& kernel_smoke_workload();

}  // namespace stormlog::workloads
