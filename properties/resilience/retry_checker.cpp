#include "properties/resilience/retry_checker.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::properties::resilience {

sim::Duration RetryChecker::ceiling(const system::resilience::RetryPolicy& p, uint32_t failures) {
    SL_ASSERT(failures >= 1);
    return JitterTest::ceiling(p.base, p.multiplier, p.cap, failures);
}

void RetryChecker::hard(const std::string& what) {
    if (!hard_) hard_ = what;
}

void RetryChecker::on_retry_attempt(const void* loop, const system::resilience::RetryPolicy& policy,
                                    sim::Time started, sim::Time now) {
    auto [it, fresh] = loops_.try_emplace(loop);
    Loop& l = it->second;
    if (fresh) {
        l.policy = policy;
        l.started = started;
        l.attempts = 1;
        return;
    }
    if (!l.failed_at) return;  // an attempt again after a wait next() did not decide
    const sim::Duration c = ceiling(l.policy, l.failures);
    const sim::Duration wait = now - *l.failed_at;
    ++l.attempts;
    if (l.policy.attempts_max != 0 && l.attempts > l.policy.attempts_max) {
        hard("a retry loop began attempt " + std::to_string(l.attempts) + " of at most " +
             std::to_string(l.policy.attempts_max));
    }
    if (now - l.started >= l.policy.elapsed_max) {
        hard("a retry loop began an attempt " + sim::format_duration(now - l.started) +
             " after its first, at or past its " + sim::format_duration(l.policy.elapsed_max) +
             " limit");
    }
    if (wait > c) {
        hard("a retry loop waited " + sim::format_duration(wait) + " after failure " +
             std::to_string(l.failures) + ", past its ceiling of " + sim::format_duration(c));
    }
    // Compared as "fits before the limit": no overflow for an unlimited elapsed_max.
    if (c < l.policy.elapsed_max - (*l.failed_at - l.started)) jitter_.add(l.failures, wait, c);
    l.failed_at.reset();
}

void RetryChecker::on_retry_failed(const void* loop, sim::Time now) {
    const auto it = loops_.find(loop);
    SL_ASSERT(it != loops_.end());  // a loop reports its first attempt before it can fail
    ++it->second.failures;
    it->second.failed_at = now;
}

void RetryChecker::on_retry_over(const void* loop) {
    loops_.erase(loop);
}

std::optional<std::string> RetryChecker::verdict() const {
    if (hard_) return hard_;
    if (auto why = jitter_.verdict()) return "retry loops: " + *why;
    return std::nullopt;
}

}  // namespace stormlog::properties::resilience
