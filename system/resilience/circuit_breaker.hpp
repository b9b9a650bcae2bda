#pragma once
// CircuitBreaker: Resilience4j's circuit breaker, on simulated time.
//
// Why: a caller that keeps calling a failing or slow dependency wastes its own capacity and
// slows the dependency's recovery. The breaker watches the outcomes of calls and, when too many
// fail or are slow, refuses calls for a while (open); then it lets a few trial calls through
// (half-open) to decide between resuming (closed) and waiting longer (open again, with backoff).
//
//   closed       every call is admitted; outcomes go into a sliding window (the last N calls, or
//                the last N seconds in one-second buckets). After each outcome, once the window
//                holds minimum_calls calls, a failure rate or slow-call rate >= its threshold
//                opens the breaker.
//   open         every call is refused until open_until(); the first try_acquire at or after it
//                moves to half-open (Resilience4j moves on the next call, not on a timer).
//   half_open    at most permitted_in_half_open trial calls are admitted; when that many results
//                are in, their rates close the breaker (with a fresh window) or open it again,
//                the wait multiplied by wait_backoff up to wait_in_open_max.
//   forced_open  refuses everything until reset().
//   disabled     admits everything and records nothing, until reset() or force_open().
//
// Epochs: every state change starts a new epoch, and a permit carries the epoch it was granted
// in. The result of a call admitted under an earlier epoch never enters the current window: a
// slow call admitted while closed must not be able to decide a half-open trial on its own, nor
// a failure from before a reset() count against the fresh window. Such results are counted as
// stale_results.
//
// Nothing here reads a clock or allocates per call: every operation takes `now`, and the window
// is allocated once, at construction. One breaker belongs to one simulation (one thread).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace stormlog::system::resilience {

enum class BreakerState : uint8_t { closed, open, half_open, forced_open, disabled };
const char* to_string(BreakerState s);

enum class WindowKind : uint8_t { count, time };
const char* to_string(WindowKind k);

// Upper bounds that validate() enforces: the window is preallocated, so its size is a memory
// bound; the others keep the arithmetic far from overflow.
constexpr uint32_t k_breaker_window_size_max = 100'000;
constexpr uint32_t k_breaker_minimum_calls_max = 1'000'000;
constexpr uint32_t k_breaker_permitted_in_half_open_max = 10'000;
constexpr double k_breaker_wait_backoff_max = 1'000.0;
// A half-open breaker admits while trial results plus trials in flight (each at most
// permitted_in_half_open) stay below the limit: their uint32_t sum cannot wrap.
static_assert(2 * uint64_t{k_breaker_permitted_in_half_open_max} <= UINT32_MAX);

struct BreakerConfig {
    WindowKind window = WindowKind::count;
    uint32_t window_size = 20;  // the last N calls (count) or the last N seconds (time)
    // No rate is computed below this many calls in the window. A count window can never hold more
    // than window_size calls, so there (as in Resilience4j) the minimum is min(minimum_calls,
    // window_size).
    uint32_t minimum_calls = 10;
    double failure_rate_threshold = 50.0;     // percent; a rate >= threshold opens
    double slow_call_rate_threshold = 100.0;  // percent; a rate >= threshold opens
    sim::Duration slow_call_duration = sim::Duration::seconds(1);  // a call taking >= this is slow
    sim::Duration wait_in_open = sim::Duration::seconds(1);
    // Each consecutive reopening (half_open -> open) multiplies the wait; closing resets it.
    double wait_backoff = 1.0;
    sim::Duration wait_in_open_max = sim::Duration::seconds(30);
    uint32_t permitted_in_half_open = 3;
    // Test-only cautionary design: a half-open breaker that admits every call (a flood on a
    // recovering dependency). Off in every real component.
    bool bug_half_open_admits_all = false;
    // Test-only cautionary design: results of permits granted in an earlier epoch are recorded in
    // the window of a closed breaker (the race Resilience4j accepts), so a failure from before a
    // reset or a reopening counts against the fresh window. Off in every real component.
    bool bug_count_stale_results = false;
    // Test-only bug: an open breaker still lets calls through (it only counts them).
    bool bug_ignore_open = false;
};

// Checks a config; returns an error text naming the bad field and what was expected, or empty.
std::string validate(const BreakerConfig& c);

// The number of calls a window must hold before its rates count (see BreakerConfig).
uint32_t effective_minimum_calls(const BreakerConfig& c);

struct BreakerTransition {
    sim::Time at;
    BreakerState from = BreakerState::closed;
    BreakerState to = BreakerState::closed;
    std::string reason;  // e.g. "failure rate 60.0% >= 50.0% over 10 calls"
};

// The answer to try_acquire. A granted permit must be answered exactly once (on_success,
// on_error or release); a refused one must not be answered.
struct Permit {
    bool granted = false;
    uint64_t epoch = 0;  // the breaker's epoch when it was asked; epochs start at 1
    BreakerState state = BreakerState::closed;  // the state that granted or refused it
};

struct BreakerStats {
    uint64_t permitted = 0, rejected = 0;
    // Results of permits of the current epoch (in any state, disabled included). A slow call is
    // also a success or a failure.
    uint64_t successes = 0, failures = 0, slow = 0;
    uint64_t trips = 0;          // transitions into open (not forced_open)
    uint64_t stale_results = 0;  // results of permits of an earlier epoch: recorded nowhere
    uint64_t released = 0;       // permits given back unused
};

// Counts of outcomes: one slot of a window, or a window's (or a half-open trial's) totals.
struct OutcomeTally {
    uint32_t calls = 0, failures = 0, slow = 0;
    void add(const OutcomeTally& o);
    void remove(const OutcomeTally& o);
};

// The closed state's sliding window. Count: a ring of window_size single-call slots. Time: a ring
// of window_size one-second buckets covering the seconds [s - window_size + 1, s], s being the
// second of the newest outcome. Totals are kept as slots enter and leave, so recording costs O(1)
// (for time, amortised over the seconds that pass). A time that steps back (a node's clock jump)
// is recorded in the newest bucket: the window never moves backwards.
class SlidingWindow {
  public:
    SlidingWindow(WindowKind kind, uint32_t size);

    // Records one outcome at `now`; returns the window's totals after it.
    const OutcomeTally& record(sim::Time now, bool failed, bool slow);
    void clear();
    const OutcomeTally& totals() const { return totals_; }

  private:
    size_t slot_for(sim::Time now);

    WindowKind kind_;
    std::vector<OutcomeTally> slots_;  // allocated once: window_size slots
    size_t next_ = 0;                  // count: the slot the next outcome overwrites
    bool empty_ = true;                // time: no outcome since the last clear
    int64_t newest_second_ = 0;        // time: the second of the newest outcome
    OutcomeTally totals_;
};

class CircuitBreaker {
  public:
    using Listener = std::function<void(const BreakerTransition&)>;

    // REQUIRES validate(config) is empty. The listener is called synchronously on every
    // transition and must not call back into this breaker.
    CircuitBreaker(std::string name, BreakerConfig config, Listener on_transition = {});

    // Whether a call may go ahead at `now`. An open breaker whose wait has elapsed moves to
    // half-open here (Resilience4j's transition on the next call). A granted permit MUST be
    // answered with exactly one on_success / on_error / release carrying it.
    Permit try_acquire(sim::Time now);
    // The call of a granted permit finished at `now` after `elapsed`.
    void on_success(const Permit& p, sim::Time now, sim::Duration elapsed);
    void on_error(const Permit& p, sim::Time now, sim::Duration elapsed);
    // The permit was not used for a call: it records nothing and frees its half-open slot.
    void release(const Permit& p, sim::Time now);

    void force_open(sim::Time now);  // no-op when already forced open
    void disable(sim::Time now);     // no-op when already disabled
    void reset(sim::Time now);       // back to closed with an empty window (always a transition)

    BreakerState state() const { return state_; }
    // When an open breaker will admit a trial call (Time::max() unless open).
    sim::Time open_until() const { return open_until_; }
    // Permits granted in the current half-open epoch not yet answered (0 unless half-open).
    uint32_t half_open_in_flight() const { return half_open_in_flight_; }
    // Granted permits of any epoch not yet answered.
    uint64_t in_flight() const { return in_flight_; }
    uint64_t epoch() const { return epoch_; }
    // The wait of the most recent opening (wait_in_open before the first).
    sim::Duration current_wait() const { return wait_; }
    // The closed window's totals (empty unless closed).
    const OutcomeTally& window_totals() const { return window_.totals(); }
    const BreakerStats& stats() const { return stats_; }
    const std::string& name() const { return name_; }
    const BreakerConfig& config() const { return config_; }

  private:
    void answer(const Permit& p, sim::Time now, bool failed, sim::Duration elapsed);
    void record_closed(sim::Time now, bool failed, bool slow);
    void record_trial(sim::Time now, bool failed, bool slow);
    void trip(sim::Time now, sim::Duration wait, std::string reason);
    void transition(sim::Time now, BreakerState to, std::string reason);
    void check_invariants() const;

    std::string name_;
    BreakerConfig config_;
    Listener on_transition_;
    uint32_t minimum_calls_;  // effective_minimum_calls(config_)

    BreakerState state_ = BreakerState::closed;
    uint64_t epoch_ = 1;
    SlidingWindow window_;  // closed only
    OutcomeTally trial_;    // half-open only: the results of this epoch's trial calls
    uint32_t half_open_in_flight_ = 0;
    uint64_t in_flight_ = 0;
    sim::Duration wait_;
    sim::Time open_until_ = sim::Time::max();
    BreakerStats stats_;
    bool notifying_ = false;  // inside the listener: re-entry is a bug
};

}  // namespace stormlog::system::resilience
