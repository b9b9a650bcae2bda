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
    // The reference follows what no result decides (a trial's start, force, disable, reset);
    // a verdict waits for the result that caused it (on_result judges it).
    const bool verdict = (t.from == BreakerState::closed && t.to == BreakerState::open) ||
                         (t.from == BreakerState::half_open &&
                          (t.to == BreakerState::open || t.to == BreakerState::closed));
    if (verdict) {
        if (s.ref.verdict) {
            violate(breaker, "transition " + std::string(to_string(t.from)) + " -> " +
                                 to_string(t.to) + " at " +
                                 sim::format_duration(t.at - sim::Time::zero()) +
                                 " right after another verdict, with no result between");
        }
        s.ref.verdict = t.to;
    } else {
        s.ref.state = t.to;
        ++s.ref.epoch;
        s.ref.window.clear();
        s.ref.trials.clear();
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
    // Built only for a violation: formatting it for every permit cost more than the check.
    const auto when = [at] { return " at " + sim::format_duration(at - sim::Time::zero()); };
    if (s.state == BreakerState::open || s.state == BreakerState::forced_open) {
        violate(breaker, "a call was permitted while the breaker was " +
                             std::string(to_string(s.state)) + when());
        return;
    }
    if (s.state == BreakerState::half_open) s.half_open_epoch = permit.epoch;
    if (s.state == BreakerState::half_open &&
        ++s.half_open_permits > breaker.config().permitted_in_half_open) {
        violate(breaker, "half-open permitted call " + std::to_string(s.half_open_permits) +
                             when() + ", but only " +
                             std::to_string(breaker.config().permitted_in_half_open) +
                             " trial calls are allowed");
    }
}

namespace {

int64_t second_of(sim::Time t) {
    constexpr int64_t k_ns = 1'000'000'000;
    const int64_t ns = t.ns();
    return ns >= 0 ? ns / k_ns : -((-(ns + 1)) / k_ns) - 1;
}

// Whether `part` of `calls` is at or above `threshold` percent.
bool at_or_above(size_t part, size_t calls, double threshold) {
    return 100.0 * static_cast<double>(part) / static_cast<double>(calls) >= threshold;
}

struct Counts {
    size_t failures = 0;
    size_t slow = 0;
};

template <class Outcomes>
Counts count(const Outcomes& os) {
    if constexpr (requires { os.failures(); }) {
        return Counts{os.failures(), os.slow()};  // a Window keeps its counts
    } else {
        Counts n;
        for (const auto& o : os) {
            n.failures += o.failed ? 1 : 0;
            n.slow += o.slow ? 1 : 0;
        }
        return n;
    }
}

// Whether the outcomes reach the configured failure or slow-call rate.
template <class Outcomes>
bool above_threshold(const Outcomes& os, const system::resilience::BreakerConfig& c) {
    if (os.empty()) return false;
    const Counts n = count(os);
    return at_or_above(n.failures, os.size(), c.failure_rate_threshold) ||
           at_or_above(n.slow, os.size(), c.slow_call_rate_threshold);
}

template <class Outcomes>
std::string tally(const Outcomes& os) {
    const Counts n = count(os);
    return std::to_string(os.size()) + " results, " + std::to_string(n.failures) + " failed, " +
           std::to_string(n.slow) + " slow";
}

}  // namespace

std::optional<BreakerState> BreakerChecker::judge(const system::resilience::BreakerConfig& c,
                                                  Reference& r, const Outcome& o) {
    if (r.state == BreakerState::closed) {
        if (c.window == system::resilience::WindowKind::count) {
            r.window.push_back(o);
            while (r.window.size() > c.window_size) r.window.pop_front();
        } else {
            // Seconds (newest - size, newest] are in; a result from an earlier second (a clock
            // that stepped back) counts in the newest.
            const int64_t newest =
                r.window.empty() ? o.second : std::max(o.second, r.window.back().second);
            while (!r.window.empty() &&
                   r.window.front().second <= newest - static_cast<int64_t>(c.window_size)) {
                r.window.pop_front();
            }
            r.window.push_back(Outcome{newest, o.failed, o.slow});
        }
        const size_t minimum = c.window == system::resilience::WindowKind::count
                                   ? std::min(c.minimum_calls, c.window_size)
                                   : c.minimum_calls;
        if (r.window.size() >= minimum && above_threshold(r.window, c)) return BreakerState::open;
        return std::nullopt;
    }
    if (r.state == BreakerState::half_open) {
        r.trials.push_back(o);
        if (r.trials.size() < c.permitted_in_half_open) return std::nullopt;
        return above_threshold(r.trials, c) ? BreakerState::open : BreakerState::closed;
    }
    return std::nullopt;  // disabled records nothing
}

std::string BreakerChecker::explain(const Reference& r, uint64_t permit_epoch) {
    if (permit_epoch == r.epoch && r.state == BreakerState::closed)
        return "its window holds " + tally(r.window);
    if (permit_epoch == r.epoch && r.state == BreakerState::half_open)
        return "its trial calls gave " + tally(r.trials);
    return "the result is of an earlier state (epoch " + std::to_string(permit_epoch) + ", now " +
           std::to_string(r.epoch) + ") and counts nowhere";
}

void BreakerChecker::on_result(const system::resilience::CircuitBreaker& breaker,
                               const system::resilience::Permit& permit, bool failed,
                               sim::Duration elapsed, sim::Time at) {
    Seen& s = seen_[breaker.name()];
    Reference& r = s.ref;
    const system::resilience::BreakerConfig& c = breaker.config();
    std::optional<BreakerState> expected;
    if (permit.epoch == r.epoch)
        expected = judge(c, r, Outcome{second_of(at), failed, elapsed >= c.slow_call_duration});
    const std::optional<BreakerState> got = r.verdict;
    r.verdict.reset();
    if (expected != got) {
        const std::string when = " at " + sim::format_duration(at - sim::Time::zero());
        violate(breaker,
                std::string("after a ") + (failed ? "failed" : "successful") + " call" + when +
                    " " + explain(r, permit.epoch) + ": the breaker " +
                    (got ? "went " + std::string(to_string(*got)) : std::string("stayed put")) +
                    ", but its configuration says " +
                    (expected ? "go " + std::string(to_string(*expected)) : std::string("stay")));
    }
    if (!expected) {
        check_window(breaker, r, at);
        return;
    }
    r.state = *expected;
    ++r.epoch;
    r.window.clear();
    r.trials.clear();
}

// The closed window holds exactly what the reference's does: a result that counts nowhere (stale)
// or one that went missing shows here at once, before it tips a verdict.
void BreakerChecker::check_window(const system::resilience::CircuitBreaker& breaker,
                                  const Reference& r, sim::Time at) {
    if (r.state != BreakerState::closed || breaker.state() != BreakerState::closed) return;
    const system::resilience::OutcomeTally& real = breaker.window_totals();
    const Counts n = count(r.window);
    if (real.calls == r.window.size() && real.failures == n.failures && real.slow == n.slow) return;
    violate(breaker, "at " + sim::format_duration(at - sim::Time::zero()) +
                         " its closed window holds " + std::to_string(real.calls) + " calls (" +
                         std::to_string(real.failures) + " failed, " + std::to_string(real.slow) +
                         " slow), but this state's results in it are " +
                         std::to_string(r.window.size()) + " (" + std::to_string(n.failures) +
                         " failed, " + std::to_string(n.slow) + " slow)");
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
