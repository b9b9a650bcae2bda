#include "properties/store/backoff_checker.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::properties::store {

BackoffChecker::BackoffChecker(const system::store::ClientOptions& policy) : policy_(policy) {
    SL_ASSERT(policy.backoff_base.ns() > 0 && policy.backoff_max >= policy.backoff_base);
}

// The policy as documented, doubled step by step (not the client's shift).
sim::Duration BackoffChecker::ceiling_after(uint32_t attempts) const {
    SL_ASSERT(attempts >= 1);
    return JitterTest::ceiling(policy_.backoff_base, 2.0, policy_.backoff_max, attempts);
}

void BackoffChecker::hard(system::store::NodeId client, const std::string& what) {
    if (!hard_) hard_ = "client node " + std::to_string(client + 1) + ": " + what;
}

void BackoffChecker::on_attempt_sent(system::store::NodeId client, uint64_t request,
                                     sim::Time now) {
    Call& c = calls_[{client, request}];
    if (c.sent == 0) {
        c.first_sent = now;
    } else if (c.last_end == AttemptEnd::backs_off) {
        const sim::Duration ceiling = ceiling_after(c.sent);
        const sim::Duration wait = now - c.last_over;
        if (wait > ceiling) {
            hard(client, "waited " + sim::format_duration(wait) + " after attempt " +
                             std::to_string(c.sent) + ", past its ceiling of " +
                             sim::format_duration(ceiling));
        }
        // A wait that could have run past the deadline is cut there, and the call ends without
        // another attempt to show it: counting only the waits that could not be cut keeps the
        // long ones from being dropped from the sample (which would bias the mean low).
        if (c.last_over + ceiling < c.first_sent + policy_.deadline)
            jitter_.add(c.sent, wait, ceiling);
    } else if (c.last_end == AttemptEnd::timed_out && now != c.last_over) {
        hard(client, "waited " + sim::format_duration(now - c.last_over) +
                         " after a timed-out attempt (the timeout is the wait)");
    }
    if (c.sent > 0 && now >= c.first_sent + policy_.deadline) {
        hard(client, "sent attempt " + std::to_string(c.sent + 1) + " of a call " +
                         sim::format_duration(now - c.first_sent) + " after its first, past the " +
                         sim::format_duration(policy_.deadline) + " deadline");
    }
    ++c.sent;
    c.last_sent = now;
    c.last_end.reset();
}

void BackoffChecker::on_attempt_over(system::store::NodeId client, uint64_t request, sim::Time now,
                                     AttemptEnd end) {
    const auto it = calls_.find({client, request});
    SL_ASSERT(it != calls_.end() && !it->second.last_end);  // an attempt ends once, after it went
    Call& c = it->second;
    if (end == AttemptEnd::timed_out) {
        const sim::Duration owed =
            std::min(policy_.attempt_timeout, c.first_sent + policy_.deadline - c.last_sent);
        if (now - c.last_sent < owed) {
            hard(client, "gave up on attempt " + std::to_string(c.sent) + " after " +
                             sim::format_duration(now - c.last_sent) + ", before its " +
                             sim::format_duration(owed) + " timeout");
        }
    }
    c.last_over = now;
    c.last_end = end;
}

void BackoffChecker::on_call_over(system::store::NodeId client, uint64_t request) {
    calls_.erase({client, request});
}

std::optional<std::string> BackoffChecker::verdict() const {
    if (hard_) return hard_;
    if (auto why = jitter_.verdict()) return "store clients' backoff: " + *why;
    return std::nullopt;
}

}  // namespace stormlog::properties::store
