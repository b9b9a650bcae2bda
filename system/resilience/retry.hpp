#pragma once
// Retry with exponential backoff and full jitter, on simulated time.
//
// Full jitter (the AWS architecture blog's "Exponential Backoff And Jitter"): the delay before
// attempt n+1 is uniform in [0, min(cap, base * multiplier^(n-1))]. Spreading retries over the
// whole range keeps clients that failed together from retrying together; the cap bounds the
// wait, and attempts_max / elapsed_max bound the whole operation (a limit on everything).
//
// Randomness comes from the caller's sim::Rng stream, so a seed fixes every delay.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace stormlog::system::resilience {

struct RetryPolicy {
    uint32_t attempts_max = 5;                       // including the first; 0 = unlimited
    sim::Duration base = sim::Duration::millis(50);  // the first backoff's ceiling
    double multiplier = 2.0;
    sim::Duration cap = sim::Duration::seconds(5);     // no backoff ceiling above this
    sim::Duration elapsed_max = sim::Duration::max();  // give up once this much time has passed
                                                       // since the first attempt
};

// The error names the field and what was expected; empty when the policy is valid.
std::string validate(const RetryPolicy& p);

// The largest delay the backoff after attempt `attempt` may draw: min(cap, base *
// multiplier^(attempt-1)). REQUIRES: attempt >= 1, validate(p) empty.
sim::Duration backoff_ceiling(const RetryPolicy& p, uint32_t attempt);

// Full jitter: uniform in [0, backoff_ceiling(p, attempt)], both ends included.
// REQUIRES: attempt >= 1, validate(p) empty.
sim::Duration backoff(const RetryPolicy& p, uint32_t attempt, sim::Rng& rng);

// Watches retry loops (the retry.backoff property's tap), on the loop's own clock. `loop` names
// one RetryState while it lives. The loop itself says when each attempt begins (attempt()), so a
// checker measures the wait the caller really took, not the delay next() handed it.
class RetryObserver {
  public:
    virtual ~RetryObserver() = default;
    // An attempt begins (the first, a retry, or one more after a wait next() did not decide).
    virtual void on_retry_attempt(const void* loop, const RetryPolicy& policy, sim::Time started,
                                  sim::Time now) = 0;
    // An attempt failed and the loop asks next() whether to try again.
    virtual void on_retry_failed(const void* loop, sim::Time now) = 0;
    // The loop is over (its RetryState is destroyed).
    virtual void on_retry_over(const void* loop) = 0;
};

// Tracks one operation's attempts. The caller makes the first attempt, and after each failure
// asks next(): a delay to sleep before the next attempt, or nullopt to give up. A caller with an
// observer calls attempt() as each attempt begins.
class RetryState {
  public:
    // REQUIRES: validate(p) empty. `started`: when the first attempt began.
    RetryState(const RetryPolicy& p, sim::Time started, RetryObserver* observer = nullptr);
    ~RetryState();
    RetryState(const RetryState&) = delete;
    RetryState& operator=(const RetryState&) = delete;

    // An attempt begins now (for the observer only: next() counts attempts).
    void attempt(sim::Time now) {
        if (observer_) observer_->on_retry_attempt(this, policy_, started_, now);
    }

    // nullopt when attempts_max attempts have been made, when elapsed_max has passed since
    // `started`, or when the drawn delay would start the next attempt once it has (a retry that
    // cannot begin within the budget is not worth the wait). Otherwise counts the coming attempt.
    // REQUIRES: now >= started.
    std::optional<sim::Duration> next(sim::Time now, sim::Rng& rng);

    // Attempts made so far, the coming one included once next() allowed it (1 at the start).
    uint32_t attempts() const { return attempts_; }
    // Whether next() has said to give up (it keeps saying so).
    bool exhausted() const { return exhausted_; }

  private:
    RetryPolicy policy_;
    sim::Time started_;
    uint32_t attempts_ = 1;
    bool exhausted_ = false;
    RetryObserver* observer_;
};

}  // namespace stormlog::system::resilience
