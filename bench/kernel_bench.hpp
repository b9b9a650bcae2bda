#pragma once
// Kernel speed: simulated events per wall-clock second for the three things every simulation is
// made of, next to the physical limit of this machine for an event that wakes a fiber — a bare
// Boost.Fiber mutex + condition_variable hand-off between two fibers.

#include <cstdint>
#include <ostream>

namespace stormlog::bench {

// Each runs `events` events once and returns events per wall-clock second.
double timer_events_per_s(uint64_t events);          // a callback timer re-arming itself
double sleep_wake_events_per_s(uint64_t events);     // 16 fibers sleeping and waking
double channel_events_per_s(uint64_t events);        // producer -> consumer through a Channel(1)
double handoff_limit_events_per_s(uint64_t events);  // bare Boost.Fiber ping-pong, round_robin

// Prints `BENCH kernel.<name> events_per_s=<x> limit_events_per_s=<y> ratio=<x/y>` lines (best of
// three runs each). Returns 0.
int run_kernel_bench(std::ostream& out);

}  // namespace stormlog::bench
