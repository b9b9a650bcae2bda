#pragma once
// Kernel-internal bookkeeping for one simulated fiber. System code never sees this type; it
// blocks through the primitives (sleep, Channel, Future, Timer), which wait on WaitTokens.

#include <cstdint>

#include "sim/asan.hpp"
#include "sim/time.hpp"

namespace boost::fibers {
class context;
}

namespace stormlog::sim {

class Process;

// Why a blocked fiber was made ready again.
enum class Wake : uint8_t {
    none,     // still blocked
    signal,   // the thing it waited for happened (value handed over, channel closed, ...)
    timeout,  // its deadline passed first
    killed,   // its process crashed: it must unwind
};

// Thrown at a suspension point of a fiber whose process crashed. Deliberately not derived from
// std::exception, so that `catch (const std::exception&)` in system code cannot swallow a crash.
struct FiberKilled {};

struct Fiber {
    boost::fibers::context* ctx = nullptr;
    Process* process = nullptr;
    StackBounds stack;  // for AddressSanitizer's view of stack switches
    // Bumped at every wait and on reuse of this record: a wake-up carrying an older value is stale.
    uint64_t wait_seq = 0;
    // Bumped when the record is reused: a timed wake-up of an earlier fiber in this slot is stale.
    uint64_t life = 0;
    Time deadline = Time::max();  // of the current (or last) wait
    // The time of the newest timed wake-up queued for this fiber and not yet fired (max: none).
    // A wait with that same deadline reuses it instead of queueing another: a server loop that
    // waits for "a packet or the next timer" again and again queues one event per timer, not one
    // per packet.
    Time armed = Time::max();
    uint64_t serial = 0;  // spawn number within the run, for the trace
    uint32_t index = 0;   // slot in the simulation's fiber table
    uint32_t waits_after_kill = 0;
    bool alive = false;
    bool blocked = false;
    bool queued = false;  // in the ready queue
    bool parked = false;  // ready, but its process is paused
    bool killed = false;
    Wake wake = Wake::none;
};

// Identifies one particular wait of one fiber. Notifying a token whose wait is over does nothing.
struct WaitToken {
    Fiber* fiber = nullptr;
    uint64_t seq = 0;
};

}  // namespace stormlog::sim
