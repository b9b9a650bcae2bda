#include "system/resilience/retry.hpp"

#include <cmath>

#include "sim/assert.hpp"
#include "system/resilience/probes.hpp"

namespace stormlog::system::resilience {

std::string validate(const RetryPolicy& p) {
    if (p.base < sim::Duration{}) return "base: expected a duration >= 0";
    if (!std::isfinite(p.multiplier) || p.multiplier < 1.0)
        return "multiplier: expected a finite number >= 1, got " + std::to_string(p.multiplier);
    if (p.cap < p.base) return "cap: expected at least base (" + sim::format_duration(p.base) + ")";
    if (p.elapsed_max <= sim::Duration{}) return "elapsed_max: expected a duration > 0";
    return {};
}

sim::Duration backoff_ceiling(const RetryPolicy& p, uint32_t attempt) {
    SL_ASSERT(attempt >= 1);
    SL_ASSERT(validate(p).empty());
    // In floating point: multiplier^(attempt-1) overflows any integer long before attempts run
    // out (attempts_max may be unlimited); an infinite product compares above the cap like any
    // other large one.
    const double grown = static_cast<double>(p.base.ns()) * std::pow(p.multiplier, attempt - 1.0);
    if (!(grown < static_cast<double>(p.cap.ns()))) return p.cap;
    const sim::Duration ceiling = sim::Duration::nanos(static_cast<int64_t>(grown));
    SL_ASSERT(ceiling >= p.base);
    SL_ASSERT(ceiling <= p.cap);
    return ceiling;
}

sim::Duration backoff(const RetryPolicy& p, uint32_t attempt, sim::Rng& rng) {
    const sim::Duration d = rng.between(sim::Duration{}, backoff_ceiling(p, attempt));
    SL_ASSERT(d >= sim::Duration{});
    SL_ASSERT(d <= p.cap);
    return d;
}

RetryState::RetryState(const RetryPolicy& p, sim::Time started, RetryObserver* observer)
    : policy_(p), started_(started), observer_(observer) {
    SL_ASSERT(validate(policy_).empty());
}

RetryState::~RetryState() {
    if (observer_) observer_->on_retry_over(this);
}

std::optional<sim::Duration> RetryState::next(sim::Time now, sim::Rng& rng) {
    SL_ASSERT(now >= started_);
    if (observer_) observer_->on_retry_failed(this, now);
    const sim::Duration elapsed = now - started_;
    const bool out_of_attempts = policy_.attempts_max != 0 && attempts_ >= policy_.attempts_max;
    if (exhausted_ || out_of_attempts || elapsed >= policy_.elapsed_max) {
        if (!exhausted_)
            SL_PROBE(out_of_attempts ? probes::retry_out_of_attempts : probes::retry_out_of_time);
        exhausted_ = true;
        return std::nullopt;
    }
    const sim::Duration delay = backoff(policy_, attempts_, rng);
    // An attempt may begin only while less than elapsed_max has passed - the same rule as above,
    // applied before sleeping rather than after. elapsed < elapsed_max here, so the subtraction
    // cannot overflow (the sum might).
    if (delay >= policy_.elapsed_max - elapsed) {
        SL_PROBE(probes::retry_out_of_time);
        exhausted_ = true;
        return std::nullopt;
    }
    SL_ASSERT(attempts_ < UINT32_MAX && "unlimited attempts, but not beyond the counter");
    ++attempts_;
    // The coming attempt is within the budget: never more than attempts_max in all.
    SL_ASSERT(policy_.attempts_max == 0 || attempts_ <= policy_.attempts_max);
    return delay;
}

}  // namespace stormlog::system::resilience
