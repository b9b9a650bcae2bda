// Unit tests of CircuitBreaker: one test per rule of Resilience4j's semantics (thresholds,
// minimum calls, both windows, slow calls, open wait and its backoff, half-open limits and
// verdicts, forced-open and disabled, stale permits, transition events) and of validate().

#include "system/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace stormlog::system::resilience {
namespace {

using sim::Duration;
using sim::Time;

constexpr Duration k_fast = Duration::millis(10);

Time at_ms(int64_t ms) {
    return Time::from_ns(ms * 1'000'000);
}

BreakerConfig count_config(uint32_t window_size, uint32_t minimum_calls, double failure_threshold) {
    BreakerConfig c;
    c.window = WindowKind::count;
    c.window_size = window_size;
    c.minimum_calls = minimum_calls;
    c.failure_rate_threshold = failure_threshold;
    return c;
}

BreakerConfig time_config(uint32_t seconds, uint32_t minimum_calls, double failure_threshold) {
    BreakerConfig c = count_config(seconds, minimum_calls, failure_threshold);
    c.window = WindowKind::time;
    return c;
}

struct Recorder {
    std::vector<BreakerTransition> seen;
    CircuitBreaker::Listener listener() {
        return [this](const BreakerTransition& t) { seen.push_back(t); };
    }
};

// One call admitted and finished at `now`.
void call(CircuitBreaker& b, Time now, bool ok, Duration elapsed = k_fast) {
    const Permit p = b.try_acquire(now);
    ASSERT_TRUE(p.granted) << "refused in " << to_string(b.state());
    if (ok) {
        b.on_success(p, now, elapsed);
    } else {
        b.on_error(p, now, elapsed);
    }
}

// Opens a breaker of `c` at `now` with minimum_calls failures (REQUIRES a threshold they cross).
void trip(CircuitBreaker& b, Time now) {
    for (uint32_t i = 0; i < effective_minimum_calls(b.config()); ++i) call(b, now, false);
    ASSERT_EQ(b.state(), BreakerState::open);
}

// From open: waits out the wait and enters half-open with the first trial permit.
Permit enter_half_open(CircuitBreaker& b) {
    const Permit p = b.try_acquire(b.open_until());
    EXPECT_EQ(b.state(), BreakerState::half_open);
    EXPECT_TRUE(p.granted);
    return p;
}

// ---- validate ----------------------------------------------------------------------------------

TEST(BreakerConfig, TheDefaultConfigIsValid) {
    EXPECT_EQ(validate(BreakerConfig{}), "");
}

TEST(BreakerConfig, EachBadFieldIsNamed) {
    struct Case {
        const char* field;
        void (*spoil)(BreakerConfig&);
    };
    const Case cases[] = {
        {"window_size", [](BreakerConfig& c) { c.window_size = 0; }},
        {"window_size", [](BreakerConfig& c) { c.window_size = k_breaker_window_size_max + 1; }},
        {"minimum_calls", [](BreakerConfig& c) { c.minimum_calls = 0; }},
        {"failure_rate_threshold", [](BreakerConfig& c) { c.failure_rate_threshold = 0.0; }},
        {"failure_rate_threshold", [](BreakerConfig& c) { c.failure_rate_threshold = 100.5; }},
        {"failure_rate_threshold",
         [](BreakerConfig& c) { c.failure_rate_threshold = std::nan(""); }},
        {"slow_call_rate_threshold", [](BreakerConfig& c) { c.slow_call_rate_threshold = -1.0; }},
        {"slow_call_duration", [](BreakerConfig& c) { c.slow_call_duration = Duration{}; }},
        {"wait_in_open", [](BreakerConfig& c) { c.wait_in_open = Duration{}; }},
        {"wait_backoff", [](BreakerConfig& c) { c.wait_backoff = 0.5; }},
        {"wait_backoff", [](BreakerConfig& c) { c.wait_backoff = INFINITY; }},
        {"wait_in_open_max", [](BreakerConfig& c) { c.wait_in_open_max = Duration::millis(999); }},
        {"permitted_in_half_open", [](BreakerConfig& c) { c.permitted_in_half_open = 0; }},
    };
    for (const Case& k : cases) {
        BreakerConfig c;
        k.spoil(c);
        const std::string error = validate(c);
        EXPECT_NE(error.find(k.field), std::string::npos) << k.field << ": " << error;
    }
}

TEST(BreakerConfig, ACountWindowsMinimumIsCappedAtItsSizeButATimeWindowsIsNot) {
    EXPECT_EQ(effective_minimum_calls(count_config(5, 10, 50.0)), 5u);
    EXPECT_EQ(effective_minimum_calls(count_config(20, 10, 50.0)), 10u);
    EXPECT_EQ(effective_minimum_calls(time_config(5, 10, 50.0)), 10u);
}

// ---- closed: thresholds, minimum calls, windows ------------------------------------------------

TEST(BreakerClosed, NoRateIsComputedBelowMinimumCalls) {
    CircuitBreaker b("b", count_config(10, 4, 50.0));
    for (int i = 0; i < 3; ++i) call(b, at_ms(0), false);
    EXPECT_EQ(b.state(), BreakerState::closed);  // 100% failures, but only 3 calls
    call(b, at_ms(0), false);
    EXPECT_EQ(b.state(), BreakerState::open);
}

TEST(BreakerClosed, AFailureRateEqualToTheThresholdOpensAndOneBelowDoesNot) {
    CircuitBreaker below("below", count_config(10, 10, 50.0));
    for (int i = 0; i < 10; ++i) call(below, at_ms(0), i >= 4 /* 4 failures */);
    EXPECT_EQ(below.state(), BreakerState::closed);

    CircuitBreaker equal("equal", count_config(10, 10, 50.0));
    for (int i = 0; i < 10; ++i) call(equal, at_ms(0), i >= 5 /* 5 failures */);
    EXPECT_EQ(equal.state(), BreakerState::open);
    EXPECT_EQ(equal.stats().trips, 1u);
}

TEST(BreakerClosed, ACountWindowForgetsItsOldestCall) {
    // Window 4, threshold 75%: F S S S F F F. Cumulatively 4/7 = 57% would stay closed; over the
    // last four calls (S F F F) it is 75%.
    CircuitBreaker b("b", count_config(4, 4, 75.0));
    const bool ok[] = {false, true, true, true, false, false};
    for (bool o : ok) call(b, at_ms(0), o);
    EXPECT_EQ(b.state(), BreakerState::closed);
    EXPECT_EQ(b.window_totals().calls, 4u);
    EXPECT_EQ(b.window_totals().failures, 2u);
    call(b, at_ms(0), false);
    EXPECT_EQ(b.state(), BreakerState::open);
}

TEST(BreakerClosed, ATimeWindowHoldsTheCallsOfTheLastNSeconds) {
    // Window 3s: seconds 0, 1 and 2 are all inside at t = 2.95s.
    CircuitBreaker b("b", time_config(3, 3, 50.0));
    call(b, at_ms(900), false);
    call(b, at_ms(2900), false);
    EXPECT_EQ(b.state(), BreakerState::closed);
    call(b, at_ms(2950), true);
    EXPECT_EQ(b.state(), BreakerState::open);  // 2 of 3 failed
}

TEST(BreakerClosed, ATimeWindowForgetsSecondsThatSlidOut) {
    CircuitBreaker b("b", time_config(3, 3, 50.0));
    call(b, at_ms(0), false);
    call(b, at_ms(500), false);
    // t = 3.0s: the window is seconds 1..3, so both failures of second 0 left it.
    call(b, at_ms(3000), true);
    EXPECT_EQ(b.window_totals().calls, 1u);
    EXPECT_EQ(b.window_totals().failures, 0u);
    call(b, at_ms(3100), true);
    call(b, at_ms(3200), false);
    EXPECT_EQ(b.state(), BreakerState::closed);  // 1 of 3; cumulatively 3 of 5 would open
    EXPECT_EQ(b.window_totals().calls, 3u);
}

TEST(BreakerClosed, ATimeWindowIsEmptyAfterAGapLongerThanItself) {
    CircuitBreaker b("b", time_config(3, 2, 75.0));
    call(b, at_ms(0), false);
    call(b, at_ms(1000), true);
    call(b, at_ms(2000), true);
    call(b, at_ms(60'000), false);
    EXPECT_EQ(b.window_totals().calls, 1u);
    EXPECT_EQ(b.state(), BreakerState::closed);
}

TEST(BreakerClosed, ATimeWindowRecordsAClockSteppingBackInItsNewestSecond) {
    CircuitBreaker b("b", time_config(2, 10, 50.0));
    call(b, at_ms(5000), true);
    call(b, at_ms(1000), false);  // a node clock jumped back: counted in second 5
    EXPECT_EQ(b.window_totals().calls, 2u);
    call(b, at_ms(6000), true);
    EXPECT_EQ(b.window_totals().calls, 3u);  // seconds 5 and 6
    call(b, at_ms(7000), true);
    EXPECT_EQ(b.window_totals().calls, 2u);  // seconds 6 and 7
}

TEST(BreakerClosed, ACallTakingTheSlowDurationIsSlowAndSlowCallsOpen) {
    BreakerConfig c = count_config(4, 4, 100.0);
    c.slow_call_rate_threshold = 50.0;
    c.slow_call_duration = Duration::seconds(1);
    Recorder r;
    CircuitBreaker b("b", c, r.listener());
    call(b, at_ms(0), true, Duration::millis(999));
    call(b, at_ms(0), true, Duration::millis(999));
    call(b, at_ms(0), true, Duration::seconds(1));
    EXPECT_EQ(b.stats().slow, 1u);
    call(b, at_ms(0), true, Duration::seconds(5));
    EXPECT_EQ(b.state(), BreakerState::open);
    ASSERT_EQ(r.seen.size(), 1u);
    EXPECT_EQ(r.seen[0].reason, "slow-call rate 50.0% >= 50.0% over 4 calls");
}

TEST(BreakerClosed, ASlowFailureCountsAsBothFailedAndSlow) {
    BreakerConfig c = count_config(10, 10, 50.0);
    CircuitBreaker b("b", c);
    call(b, at_ms(0), false, Duration::seconds(2));
    EXPECT_EQ(b.stats().failures, 1u);
    EXPECT_EQ(b.stats().slow, 1u);
    EXPECT_EQ(b.window_totals().failures, 1u);
    EXPECT_EQ(b.window_totals().slow, 1u);
}

// ---- open, half-open, backoff ------------------------------------------------------------------

TEST(BreakerOpen, RefusesUntilTheWaitEndsThenTheNextCallMovesItToHalfOpen) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.wait_in_open = Duration::seconds(5);
    CircuitBreaker b("b", c);
    trip(b, at_ms(1000));
    EXPECT_EQ(b.open_until(), at_ms(6000));
    EXPECT_FALSE(b.try_acquire(at_ms(5999)).granted);
    EXPECT_EQ(b.stats().rejected, 1u);
    EXPECT_EQ(b.state(), BreakerState::open);  // no timer: the state moves on a call only
    const Permit p = b.try_acquire(at_ms(6000));
    EXPECT_TRUE(p.granted);
    EXPECT_EQ(p.state, BreakerState::half_open);
    EXPECT_EQ(b.state(), BreakerState::half_open);
    EXPECT_EQ(b.open_until(), Time::max());
    b.release(p, at_ms(6000));
}

TEST(BreakerHalfOpen, AdmitsAtMostThePermittedNumberOfTrialCalls) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.permitted_in_half_open = 3;
    CircuitBreaker b("b", c);
    trip(b, at_ms(0));
    const Permit p1 = enter_half_open(b);
    const Permit p2 = b.try_acquire(b.open_until());
    const Permit p3 = b.try_acquire(at_ms(1000));
    EXPECT_TRUE(p2.granted && p3.granted);
    EXPECT_EQ(b.half_open_in_flight(), 3u);
    EXPECT_FALSE(b.try_acquire(at_ms(1000)).granted);
    b.on_success(p1, at_ms(1000), k_fast);
    EXPECT_FALSE(b.try_acquire(at_ms(1000)).granted);  // an answered trial keeps its slot
    EXPECT_EQ(b.half_open_in_flight(), 2u);
    b.on_success(p2, at_ms(1000), k_fast);
    EXPECT_EQ(b.state(), BreakerState::half_open);  // the verdict waits for all three
    b.on_success(p3, at_ms(1000), k_fast);
    EXPECT_EQ(b.state(), BreakerState::closed);
}

TEST(BreakerHalfOpen, AReleasedTrialPermitFreesItsSlotAndRecordsNothing) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.permitted_in_half_open = 1;
    CircuitBreaker b("b", c);
    trip(b, at_ms(0));
    const Permit p = enter_half_open(b);
    EXPECT_FALSE(b.try_acquire(at_ms(1000)).granted);
    b.release(p, at_ms(1000));
    EXPECT_EQ(b.half_open_in_flight(), 0u);
    EXPECT_EQ(b.state(), BreakerState::half_open);
    const Permit q = b.try_acquire(at_ms(1000));
    ASSERT_TRUE(q.granted);
    b.on_success(q, at_ms(1000), k_fast);
    EXPECT_EQ(b.state(), BreakerState::closed);
    EXPECT_EQ(b.stats().released, 1u);
}

TEST(BreakerHalfOpen, TrialsBelowTheThresholdsCloseWithAFreshWindow) {
    BreakerConfig c = count_config(4, 2, 50.0);
    c.permitted_in_half_open = 2;
    Recorder r;
    CircuitBreaker b("b", c, r.listener());
    trip(b, at_ms(0));
    const Permit p1 = enter_half_open(b);
    const Permit p2 = b.try_acquire(at_ms(1000));
    b.on_error(p1, at_ms(1000), k_fast);  // 1 of 2 = 50%: would reopen
    EXPECT_EQ(b.state(), BreakerState::half_open);
    b.on_success(p2, at_ms(1000), k_fast);
    EXPECT_EQ(b.state(), BreakerState::open);
    EXPECT_EQ(r.seen.back().reason,
              "trial calls: failure rate 50.0% >= 50.0% over 2 calls; waiting 1s");

    const Permit q1 = enter_half_open(b);
    const Permit q2 = b.try_acquire(b.open_until());
    b.on_success(q1, at_ms(2000), k_fast);
    b.on_success(q2, at_ms(2000), k_fast);
    EXPECT_EQ(b.state(), BreakerState::closed);
    EXPECT_EQ(
        r.seen.back().reason,
        "trial calls: failure rate 0.0% < 50.0% and slow-call rate 0.0% < 100.0% over 2 calls");
    EXPECT_EQ(b.window_totals().calls, 0u);
    call(b, at_ms(2000), false);  // one failure of one: below minimum_calls
    EXPECT_EQ(b.state(), BreakerState::closed);
}

TEST(BreakerHalfOpen, SlowTrialsReopen) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.permitted_in_half_open = 1;
    c.slow_call_rate_threshold = 100.0;
    CircuitBreaker b("b", c);
    trip(b, at_ms(0));
    const Permit p = enter_half_open(b);
    b.on_success(p, at_ms(3000), Duration::seconds(2));
    EXPECT_EQ(b.state(), BreakerState::open);
    EXPECT_EQ(b.stats().trips, 2u);
}

TEST(BreakerBackoff, EachReopeningMultipliesTheWaitUpToTheCapAndClosingResetsIt) {
    BreakerConfig c = count_config(1, 1, 50.0);
    c.permitted_in_half_open = 1;
    c.wait_in_open = Duration::seconds(1);
    c.wait_backoff = 2.0;
    c.wait_in_open_max = Duration::seconds(5);
    CircuitBreaker b("b", c);
    trip(b, at_ms(0));
    EXPECT_EQ(b.open_until(), at_ms(1000));
    const int64_t waits_ms[] = {2000, 4000, 5000, 5000};
    for (int64_t wait : waits_ms) {
        const Time trial_at = b.open_until();
        const Permit p = enter_half_open(b);
        b.on_error(p, trial_at, k_fast);
        EXPECT_EQ(b.current_wait(), Duration::millis(wait));
        EXPECT_EQ(b.open_until(), trial_at + Duration::millis(wait));
    }
    const Permit p = enter_half_open(b);
    b.on_success(p, at_ms(100'000), k_fast);
    EXPECT_EQ(b.state(), BreakerState::closed);
    call(b, at_ms(200'000), false);
    EXPECT_EQ(b.open_until(), at_ms(201'000));
}

TEST(BreakerBackoff, AFractionalBackoffRoundsToTheNanosecondAtEachStep) {
    BreakerConfig c = count_config(1, 1, 50.0);
    c.permitted_in_half_open = 1;
    c.wait_in_open = Duration::nanos(3);
    c.wait_backoff = 1.5;
    CircuitBreaker b("b", c);
    trip(b, at_ms(0));
    const int64_t waits_ns[] = {5 /* 4.5 */, 8 /* 7.5 */, 12};
    for (int64_t wait : waits_ns) {
        const Time trial_at = b.open_until();
        const Permit p = enter_half_open(b);
        b.on_error(p, trial_at, k_fast);
        EXPECT_EQ(b.current_wait(), Duration::nanos(wait));
    }
}

// ---- forced open, disabled, reset --------------------------------------------------------------

TEST(BreakerOverrides, ForcedOpenRefusesEverythingUntilReset) {
    CircuitBreaker b("b", count_config(4, 4, 50.0));
    b.force_open(at_ms(0));
    EXPECT_EQ(b.state(), BreakerState::forced_open);
    EXPECT_EQ(b.open_until(), Time::max());
    EXPECT_FALSE(b.try_acquire(at_ms(3'600'000)).granted);
    EXPECT_EQ(b.stats().trips, 0u);  // forced open is not a trip
    b.reset(at_ms(3'600'000));
    EXPECT_EQ(b.state(), BreakerState::closed);
    EXPECT_TRUE(b.try_acquire(at_ms(3'600'000)).granted);
}

TEST(BreakerOverrides, DisabledAdmitsEverythingAndRecordsNothing) {
    CircuitBreaker b("b", count_config(4, 4, 50.0));
    b.disable(at_ms(0));
    for (int i = 0; i < 50; ++i) call(b, at_ms(0), false);
    EXPECT_EQ(b.state(), BreakerState::disabled);
    EXPECT_EQ(b.window_totals().calls, 0u);
    EXPECT_EQ(b.stats().failures, 50u);
    EXPECT_EQ(b.stats().trips, 0u);
}

TEST(BreakerOverrides, ResetEmptiesTheWindowAndTheBackoff) {
    BreakerConfig c = count_config(4, 4, 50.0);
    c.permitted_in_half_open = 1;
    c.wait_backoff = 3.0;
    CircuitBreaker b("b", c);
    call(b, at_ms(0), false);
    call(b, at_ms(0), false);
    call(b, at_ms(0), false);
    b.reset(at_ms(0));
    EXPECT_EQ(b.window_totals().calls, 0u);
    call(b, at_ms(0), false);
    EXPECT_EQ(b.state(), BreakerState::closed);  // one call since the reset
    b.reset(at_ms(0));
    trip(b, at_ms(0));
    const Permit p = enter_half_open(b);
    b.on_error(p, at_ms(1000), k_fast);
    EXPECT_EQ(b.current_wait(), Duration::seconds(3));
    b.reset(at_ms(1000));
    trip(b, at_ms(1000));
    EXPECT_EQ(b.open_until(), at_ms(2000));
}

TEST(BreakerOverrides, ForcingOpenOrDisablingTwiceIsOneTransition) {
    Recorder r;
    CircuitBreaker b("b", BreakerConfig{}, r.listener());
    b.force_open(at_ms(0));
    b.force_open(at_ms(1));
    b.disable(at_ms(2));
    b.disable(at_ms(3));
    EXPECT_EQ(r.seen.size(), 2u);
}

// ---- stale permits ------------------------------------------------------------------------------

TEST(BreakerStalePermits, AResultFromBeforeAResetDoesNotCountInTheFreshWindow) {
    CircuitBreaker b("b", count_config(4, 1, 50.0));
    const Permit old = b.try_acquire(at_ms(0));
    b.reset(at_ms(1));
    b.on_error(old, at_ms(2), k_fast);
    EXPECT_EQ(b.state(), BreakerState::closed);  // one failure would open it (minimum 1)
    EXPECT_EQ(b.window_totals().calls, 0u);
    EXPECT_EQ(b.stats().stale_results, 1u);
    EXPECT_EQ(b.stats().failures, 0u);
}

TEST(BreakerStalePermits, ASlowCallAdmittedWhileClosedCannotDecideAHalfOpenTrial) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.permitted_in_half_open = 1;
    CircuitBreaker b("b", c);
    const Permit slow_call = b.try_acquire(at_ms(0));
    trip(b, at_ms(0));
    const Permit trial = enter_half_open(b);
    b.on_success(slow_call, at_ms(1500), Duration::millis(1500));
    EXPECT_EQ(b.state(), BreakerState::half_open);
    EXPECT_EQ(b.half_open_in_flight(), 1u);
    EXPECT_EQ(b.stats().stale_results, 1u);
    b.on_success(trial, at_ms(1500), k_fast);
    EXPECT_EQ(b.state(), BreakerState::closed);
}

TEST(BreakerStalePermits, ReleasingAPermitOfAnEarlierHalfOpenDoesNotFreeACurrentSlot) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.permitted_in_half_open = 1;
    CircuitBreaker b("b", c);
    trip(b, at_ms(0));
    const Permit old = enter_half_open(b);
    b.reset(at_ms(1000));
    trip(b, at_ms(1000));
    const Permit current = enter_half_open(b);
    b.release(old, at_ms(2000));
    EXPECT_EQ(b.half_open_in_flight(), 1u);
    EXPECT_FALSE(b.try_acquire(at_ms(2000)).granted);
    b.release(current, at_ms(2000));
    EXPECT_TRUE(b.try_acquire(at_ms(2000)).granted);
}

TEST(BreakerStalePermits, EveryStateChangeStartsANewEpoch) {
    CircuitBreaker b("b", count_config(2, 2, 50.0));
    const uint64_t first = b.epoch();
    b.force_open(at_ms(0));
    b.disable(at_ms(0));
    b.reset(at_ms(0));
    EXPECT_EQ(b.epoch(), first + 3);
    EXPECT_EQ(b.try_acquire(at_ms(0)).epoch, first + 3);
}

// ---- transition events, stats
// --------------------------------------------------------------------

TEST(BreakerEvents, TheListenerSeesEveryTransitionInOrderWithItsTimeAndReason) {
    BreakerConfig c = count_config(10, 10, 50.0);
    c.permitted_in_half_open = 1;
    Recorder r;
    CircuitBreaker b("b", c, r.listener());
    for (int i = 0; i < 10; ++i) call(b, at_ms(100), i >= 6);  // 6 failures of 10
    const Permit p = b.try_acquire(at_ms(1100));
    b.on_success(p, at_ms(1200), k_fast);
    b.force_open(at_ms(1300));
    b.disable(at_ms(1400));
    b.reset(at_ms(1500));
    b.reset(at_ms(1600));

    struct Expected {
        int64_t at_ms;
        BreakerState from, to;
        std::string reason;
    };
    const Expected expected[] = {
        {100, BreakerState::closed, BreakerState::open,
         "failure rate 60.0% >= 50.0% over 10 calls"},
        {1100, BreakerState::open, BreakerState::half_open, "waited 1s in open"},
        {1200, BreakerState::half_open, BreakerState::closed,
         "trial calls: failure rate 0.0% < 50.0% and slow-call rate 0.0% < 100.0% over 1 calls"},
        {1300, BreakerState::closed, BreakerState::forced_open, "forced open"},
        {1400, BreakerState::forced_open, BreakerState::disabled, "disabled"},
        {1500, BreakerState::disabled, BreakerState::closed, "reset"},
        {1600, BreakerState::closed, BreakerState::closed, "reset"},
    };
    ASSERT_EQ(r.seen.size(), std::size(expected));
    for (size_t i = 0; i < r.seen.size(); ++i) {
        EXPECT_EQ(r.seen[i].at, at_ms(expected[i].at_ms)) << i;
        EXPECT_EQ(r.seen[i].from, expected[i].from) << i;
        EXPECT_EQ(r.seen[i].to, expected[i].to) << i;
        EXPECT_EQ(r.seen[i].reason, expected[i].reason) << i;
    }
}

TEST(BreakerEvents, TheListenerSeesTheNewStateAlready) {
    BreakerState seen_state = BreakerState::closed;
    Time seen_until;
    CircuitBreaker* self = nullptr;
    CircuitBreaker b("b", count_config(1, 1, 50.0), [&](const BreakerTransition&) {
        seen_state = self->state();
        seen_until = self->open_until();
    });
    self = &b;
    call(b, at_ms(0), false);
    EXPECT_EQ(seen_state, BreakerState::open);
    EXPECT_EQ(seen_until, at_ms(1000));
}

TEST(BreakerStats, CountPermitsRefusalsOutcomesAndTrips) {
    BreakerConfig c = count_config(2, 2, 50.0);
    c.permitted_in_half_open = 1;
    CircuitBreaker b("b", c);
    const Permit unused = b.try_acquire(at_ms(0));
    b.release(unused, at_ms(0));
    call(b, at_ms(0), true);
    call(b, at_ms(0), false);  // 1 of 2: opens
    EXPECT_FALSE(b.try_acquire(at_ms(500)).granted);
    const Permit p = enter_half_open(b);
    b.on_error(p, at_ms(1000), Duration::seconds(3));
    const BreakerStats& s = b.stats();
    EXPECT_EQ(s.permitted, 4u);
    EXPECT_EQ(s.rejected, 1u);
    EXPECT_EQ(s.released, 1u);
    EXPECT_EQ(s.successes, 1u);
    EXPECT_EQ(s.failures, 2u);
    EXPECT_EQ(s.slow, 1u);
    EXPECT_EQ(s.trips, 2u);
    EXPECT_EQ(b.in_flight(), 0u);
    EXPECT_EQ(b.name(), "b");
}

TEST(BreakerStrings, EveryStateAndWindowHasAName) {
    EXPECT_STREQ(to_string(BreakerState::closed), "closed");
    EXPECT_STREQ(to_string(BreakerState::open), "open");
    EXPECT_STREQ(to_string(BreakerState::half_open), "half_open");
    EXPECT_STREQ(to_string(BreakerState::forced_open), "forced_open");
    EXPECT_STREQ(to_string(BreakerState::disabled), "disabled");
    EXPECT_STREQ(to_string(WindowKind::count), "count");
    EXPECT_STREQ(to_string(WindowKind::time), "time");
}

}  // namespace
}  // namespace stormlog::system::resilience
