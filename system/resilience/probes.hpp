#pragma once
// Sometimes-probes of the resilience components (sim/probe.hpp): the circuit breaker's
// transitions and its epoch guard, a full queue's overflow policy, retries running out, a full
// bulkhead and an expired time limiter - the moments these components exist for, which a suite
// must reach for their handling to be tested at all. Counting never changes what they do.

#include <array>

#include "sim/probe_list.hpp"

namespace stormlog::system::resilience::probes {

// ---- Circuit breaker ----------------------------------------------------------------------
inline constexpr sim::Probe breaker_closed_to_open{
    "breaker.closed_to_open",
    "a closed breaker's window crosses a failure-rate or slow-call-rate threshold: it opens"};
inline constexpr sim::Probe breaker_open_to_half_open{
    "breaker.open_to_half_open",
    "an open breaker's wait has elapsed: the next call moves it to half-open"};
inline constexpr sim::Probe breaker_half_open_to_open{
    "breaker.half_open_to_open",
    "a half-open breaker's trial calls cross a threshold: it opens again, with a longer wait"};
inline constexpr sim::Probe breaker_half_open_to_closed{
    "breaker.half_open_to_closed",
    "a half-open breaker's trial calls stay below the thresholds: it closes"};
inline constexpr sim::Probe breaker_trial_refused{
    "breaker.trial_refused", "a half-open breaker refuses a call: every trial slot is taken"};
inline constexpr sim::Probe breaker_stale_result{
    "breaker.stale_result",
    "a call admitted before a transition answers after it: its result is recorded nowhere"};
inline constexpr sim::Probe breaker_permit_released{
    "breaker.permit_released",
    "a guarded call ends without an outcome (its fiber was killed mid-call): the permit is "
    "given back"};

// ---- Bounded queue ------------------------------------------------------------------------
inline constexpr sim::Probe queue_producer_blocked{
    "queue.producer_blocked",
    "a producer finds the queue full under the block policy and waits for a free slot"};
inline constexpr sim::Probe queue_rejected_full{
    "queue.rejected_full",
    "a push finds the queue full and is rejected: the producer must keep the item"};
inline constexpr sim::Probe queue_above_high_watermark{
    "queue.above_high_watermark",
    "the queue's depth reaches its high watermark: the consumer falls behind"};

// ---- Retry, bulkhead, time limiter --------------------------------------------------------
inline constexpr sim::Probe retry_out_of_attempts{
    "retry.out_of_attempts", "an operation has made attempts_max attempts: retrying gives up"};
inline constexpr sim::Probe retry_out_of_time{
    "retry.out_of_time",
    "an operation's elapsed budget is spent (or the next backoff would spend it): retrying gives "
    "up"};
inline constexpr sim::Probe bulkhead_rejected{
    "bulkhead.rejected", "every slot of a bulkhead is taken (and stays so for wait_max): refused"};
inline constexpr sim::Probe bulkhead_waited_for_slot{
    "bulkhead.waited_for_slot", "a caller waits for a full bulkhead and is handed a released slot"};
inline constexpr sim::Probe timeout_expired{
    "timeout.expired",
    "a time-limited call outlives its limit and is abandoned (its effects may still land)"};

inline constexpr std::array<const sim::Probe*, 15> all{
    &breaker_closed_to_open,      &breaker_open_to_half_open, &breaker_half_open_to_open,
    &breaker_half_open_to_closed, &breaker_trial_refused,     &breaker_stale_result,
    &breaker_permit_released,     &queue_producer_blocked,    &queue_rejected_full,
    &queue_above_high_watermark,  &retry_out_of_attempts,     &retry_out_of_time,
    &bulkhead_rejected,           &bulkhead_waited_for_slot,  &timeout_expired,
};

static_assert(sim::distinct_names(all));  // the coverage counts probes by name

}  // namespace stormlog::system::resilience::probes
