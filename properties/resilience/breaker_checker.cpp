#include "properties/resilience/breaker_checker.hpp"

namespace stormlog::properties::resilience {

using system::resilience::BreakerState;

namespace {

// The edges Resilience4j's state machine has; forced_open, disabled and reset reach anywhere.
bool allowed(BreakerState from, BreakerState to) {
    if (to == BreakerState::forced_open || to == BreakerState::disabled ||
        to == BreakerState::closed) {
        return from != to || to == BreakerState::closed;
    }
    switch (to) {
        case BreakerState::open:
            return from == BreakerState::closed || from == BreakerState::half_open;
        case BreakerState::half_open:
            return from == BreakerState::open;
        default:
            return false;
    }
}

}  // namespace

void BreakerChecker::violate(const system::resilience::CircuitBreaker& b,
                             const std::string& evidence) {
    if (reported_) return;
    reported_ = true;
    report_(BreakerViolation{b.name(), evidence});
}

void BreakerChecker::on_transition(const system::resilience::CircuitBreaker& breaker,
                                   const system::resilience::BreakerTransition& t) {
    Seen& s = seen_[breaker.name()];
    if (t.from != s.state || !allowed(t.from, t.to)) {
        violate(breaker, "transition " + std::string(to_string(t.from)) + " -> " + to_string(t.to) +
                             " at " + sim::format_duration(t.at - sim::Time::zero()) +
                             " but the breaker was " + to_string(s.state));
    }
    if (t.from == BreakerState::open && t.to == BreakerState::half_open &&
        t.at - s.opened_at < breaker.config().wait_in_open) {
        violate(breaker, "half-open at " + sim::format_duration(t.at - sim::Time::zero()) +
                             ", only " + sim::format_duration(t.at - s.opened_at) +
                             " after opening; the wait in open is " +
                             sim::format_duration(breaker.config().wait_in_open));
    }
    if (t.to == BreakerState::open) {
        ++trips_;
        s.opened_at = t.at;
    }
    if (t.from == BreakerState::half_open && t.to == BreakerState::closed) ++recovered_;
    s.state = t.to;
    s.half_open_permits = 0;
    s.half_open_epoch.reset();
}

void BreakerChecker::on_permit(const system::resilience::CircuitBreaker& breaker,
                               const system::resilience::Permit& permit, sim::Time at) {
    Seen& s = seen_[breaker.name()];
    if (!permit.granted) {
        ++refused_;
        return;
    }
    ++permits_;
    const std::string when = " at " + sim::format_duration(at - sim::Time::zero());
    if (s.state == BreakerState::open || s.state == BreakerState::forced_open) {
        violate(breaker, "a call was permitted while the breaker was " +
                             std::string(to_string(s.state)) + when);
        return;
    }
    if (s.state == BreakerState::half_open) s.half_open_epoch = permit.epoch;
    if (s.state == BreakerState::half_open &&
        ++s.half_open_permits > breaker.config().permitted_in_half_open) {
        violate(breaker, "half-open permitted call " + std::to_string(s.half_open_permits) + when +
                             ", but only " +
                             std::to_string(breaker.config().permitted_in_half_open) +
                             " trial calls are allowed");
    }
}

void BreakerChecker::on_release(const system::resilience::CircuitBreaker& breaker,
                                const system::resilience::Permit& permit, sim::Time) {
    Seen& s = seen_[breaker.name()];
    if (s.state == BreakerState::half_open && s.half_open_epoch == permit.epoch &&
        s.half_open_permits > 0) {
        --s.half_open_permits;
    }
}

}  // namespace stormlog::properties::resilience
