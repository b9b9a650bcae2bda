#pragma once
// One call through a circuit breaker, as a scope: asks for a permit, reports it to a tap (the
// breaker.semantics checker watches every permit), and answers the permit exactly once - with
// the call's outcome, or, if the scope ends without one (the fiber was killed mid-call), by
// releasing it, so a crash cannot leak a half-open slot.

#include "sim/assert.hpp"
#include "sim/time.hpp"
#include "system/resilience/circuit_breaker.hpp"
#include "system/resilience/probes.hpp"

namespace stormlog::system::resilience {

// Sees every permit a breaker grants or refuses (the transitions come from the breaker's listener).
class PermitTap {
  public:
    virtual ~PermitTap() = default;
    virtual void on_permit(const CircuitBreaker& breaker, const Permit& permit, sim::Time at) = 0;
    // A granted permit given back unused (its call never ran, or its fiber was killed).
    virtual void on_release(const CircuitBreaker& breaker, const Permit& permit, sim::Time at) = 0;
    // The call of a granted permit finished at `at` after `elapsed`, and the breaker has taken
    // its result (any transition the result caused has been reported already).
    virtual void on_result(const CircuitBreaker& breaker, const Permit& permit, bool failed,
                           sim::Duration elapsed, sim::Time at) = 0;
};

class GuardedCall {
  public:
    GuardedCall(CircuitBreaker& breaker, sim::Time now, PermitTap* tap)
        : breaker_(&breaker), tap_(tap), permit_(breaker.try_acquire(now)), started_(now) {
        if (tap) tap->on_permit(breaker, permit_, now);
        answered_ = !permit_.granted;
    }
    ~GuardedCall() {
        if (answered_) return;
        // A failed check in release is recorded (the run stops) and goes no further: a destructor
        // that threw would terminate the whole suite.
        try {
            breaker_->release(permit_, started_);
            SL_PROBE(probes::breaker_permit_released);
            if (tap_) tap_->on_release(*breaker_, permit_, started_);
        } catch (const sim::AssertionFailed&) {
        }
    }
    GuardedCall(const GuardedCall&) = delete;
    GuardedCall& operator=(const GuardedCall&) = delete;

    bool permitted() const { return permit_.granted; }
    void succeeded(sim::Time now) { answer(now, true); }
    void failed(sim::Time now) { answer(now, false); }

  private:
    void answer(sim::Time now, bool ok) {
        if (answered_) return;
        answered_ = true;
        ok ? breaker_->on_success(permit_, now, now - started_)
           : breaker_->on_error(permit_, now, now - started_);
        if (tap_) tap_->on_result(*breaker_, permit_, !ok, now - started_, now);
    }

    CircuitBreaker* breaker_;
    PermitTap* tap_;
    Permit permit_;
    sim::Time started_;
    bool answered_ = true;
};

}  // namespace stormlog::system::resilience
