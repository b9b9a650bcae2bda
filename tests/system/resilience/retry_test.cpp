// Retry: the backoff ceiling's growth and cap, full jitter's bounds and spread, determinism for a
// seed, and RetryState's attempt and elapsed-time limits (also in a simulated retry loop).

#include "system/resilience/retry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/rng.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::system::resilience {
namespace {

using sim::Duration;
using sim::Rng;
using sim::Time;

RetryPolicy policy(Duration base, double multiplier, Duration cap, uint32_t attempts_max = 5,
                   Duration elapsed_max = Duration::max()) {
    RetryPolicy p;
    p.base = base;
    p.multiplier = multiplier;
    p.cap = cap;
    p.attempts_max = attempts_max;
    p.elapsed_max = elapsed_max;
    return p;
}

TEST(Backoff, TheCeilingGrowsByTheMultiplierUntilTheCap) {
    const RetryPolicy p;  // 50ms, x2, cap 5s
    const std::vector<int64_t> expected_ms = {50, 100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (uint32_t attempt = 1; attempt <= expected_ms.size(); ++attempt)
        EXPECT_EQ(backoff_ceiling(p, attempt), Duration::millis(expected_ms[attempt - 1]))
            << attempt;
    // Far past the point where base * 2^(n-1) overflows any integer: still the cap.
    EXPECT_EQ(backoff_ceiling(p, 100), p.cap);
    EXPECT_EQ(backoff_ceiling(p, UINT32_MAX), p.cap);
}

TEST(Backoff, AFractionalMultiplierGrowsGently) {
    const RetryPolicy p = policy(Duration::millis(100), 1.5, Duration::seconds(1));
    EXPECT_EQ(backoff_ceiling(p, 1), Duration::millis(100));
    EXPECT_EQ(backoff_ceiling(p, 2), Duration::millis(150));
    EXPECT_EQ(backoff_ceiling(p, 3), Duration::millis(225));
    EXPECT_EQ(backoff_ceiling(p, 7), Duration::seconds(1));  // 1139ms, capped
    const RetryPolicy flat = policy(Duration::millis(100), 1.0, Duration::seconds(1));
    EXPECT_EQ(backoff_ceiling(flat, 1000), Duration::millis(100));
}

TEST(Backoff, NeverExceedsTheCeilingOrTheCap) {
    const RetryPolicy p = policy(Duration::millis(10), 3.0, Duration::millis(700));
    Rng rng = Rng::root(1).fork("backoff");
    for (uint32_t attempt = 1; attempt <= 30; ++attempt) {
        const Duration ceiling = backoff_ceiling(p, attempt);
        EXPECT_LE(ceiling, p.cap);
        for (int i = 0; i < 500; ++i) {
            const Duration d = backoff(p, attempt, rng);
            ASSERT_GE(d, Duration{});
            ASSERT_LE(d, ceiling) << "attempt " << attempt;
        }
    }
}

TEST(Backoff, FullJitterSpreadsOverTheWholeRange) {
    const RetryPolicy p;
    const Duration ceiling = backoff_ceiling(p, 3);  // 200ms
    Rng rng = Rng::root(7).fork("backoff");
    constexpr int k_draws = 20'000;
    constexpr int k_buckets = 10;
    std::array<int, k_buckets> buckets{};
    Duration lowest = Duration::max(), highest{};
    for (int i = 0; i < k_draws; ++i) {
        const Duration d = backoff(p, 3, rng);
        lowest = std::min(lowest, d);
        highest = std::max(highest, d);
        const int64_t b = d.ns() * k_buckets / (ceiling.ns() + 1);
        ++buckets[static_cast<size_t>(b)];
    }
    EXPECT_LT(lowest, ceiling / 1000);
    EXPECT_GT(highest, ceiling - ceiling / 1000);
    // Uniform: each tenth of the range gets about a tenth of the draws (10% +- 1.5% is > 6 sigma).
    for (int b = 0; b < k_buckets; ++b) {
        EXPECT_GT(buckets[static_cast<size_t>(b)], k_draws / k_buckets * 85 / 100)
            << "bucket " << b;
        EXPECT_LT(buckets[static_cast<size_t>(b)], k_draws / k_buckets * 115 / 100)
            << "bucket " << b;
    }
}

TEST(Backoff, BothEndsOfTheRangeAreReachable) {
    const RetryPolicy p = policy(Duration::nanos(3), 1.0, Duration::nanos(3));
    Rng rng = Rng::root(3).fork("backoff");
    std::array<int, 4> seen{};
    for (int i = 0; i < 400; ++i) ++seen[static_cast<size_t>(backoff(p, 1, rng).ns())];
    for (int count : seen) EXPECT_GT(count, 50);
}

TEST(Backoff, AZeroBaseNeverWaits) {
    const RetryPolicy p = policy(Duration{}, 2.0, Duration::seconds(1));
    Rng rng = Rng::root(1).fork("backoff");
    for (uint32_t attempt = 1; attempt < 100; ++attempt)
        EXPECT_EQ(backoff(p, attempt, rng), Duration{});
}

std::vector<Duration> draws(uint64_t seed) {
    const RetryPolicy p;
    Rng rng = Rng::root(seed).fork("backoff");
    std::vector<Duration> out;
    for (uint32_t attempt = 1; attempt <= 20; ++attempt) out.push_back(backoff(p, attempt, rng));
    return out;
}

TEST(Backoff, IsDeterministicForASeed) {
    EXPECT_EQ(draws(42), draws(42));
    EXPECT_NE(draws(42), draws(43));
}

TEST(RetryState, AllowsMaxAttemptsInAllThenGivesUpForGood) {
    const RetryPolicy p = policy(Duration::millis(10), 2.0, Duration::seconds(1), 4);
    RetryState s(p, Time::zero());
    Rng rng = Rng::root(1).fork("retry");
    EXPECT_EQ(s.attempts(), 1u);
    Time now = Time::zero();
    for (uint32_t expected = 2; expected <= 4; ++expected) {
        const std::optional<Duration> d = s.next(now, rng);
        ASSERT_TRUE(d.has_value());
        EXPECT_LE(*d, backoff_ceiling(p, expected - 1));
        EXPECT_EQ(s.attempts(), expected);
        now += *d;
    }
    EXPECT_FALSE(s.next(now, rng).has_value());
    EXPECT_TRUE(s.exhausted());
    EXPECT_EQ(s.attempts(), 4u);
    EXPECT_FALSE(s.next(now + Duration::millis(1), rng).has_value());
}

TEST(RetryState, OneAttemptMeansNoRetry) {
    RetryState s(policy(Duration::millis(10), 2.0, Duration::seconds(1), 1), Time::zero());
    Rng rng = Rng::root(1).fork("retry");
    EXPECT_FALSE(s.next(Time::zero(), rng).has_value());
    EXPECT_EQ(s.attempts(), 1u);
}

TEST(RetryState, ZeroMaxAttemptsIsUnlimited) {
    RetryState s(policy(Duration::millis(1), 2.0, Duration::millis(8), 0), Time::zero());
    Rng rng = Rng::root(1).fork("retry");
    Time now = Time::zero();
    for (int i = 0; i < 10'000; ++i) {
        const std::optional<Duration> d = s.next(now, rng);
        ASSERT_TRUE(d.has_value()) << i;
        now += *d;
    }
    EXPECT_EQ(s.attempts(), 10'001u);
}

TEST(RetryState, GivesUpOnceMaxElapsedHasPassed) {
    const Time started = Time::zero() + Duration::seconds(3);
    RetryState s(policy(Duration::millis(1), 1.0, Duration::millis(1), 0, Duration::seconds(1)),
                 started);
    Rng rng = Rng::root(1).fork("retry");
    EXPECT_TRUE(s.next(started + Duration::millis(500), rng).has_value());
    EXPECT_FALSE(s.next(started + Duration::seconds(1), rng).has_value());
    EXPECT_TRUE(s.exhausted());
}

// Over many seeds: every attempt the state allows starts before elapsed_max has passed, and the
// state gives up only when the attempts or the time budget are really used up.
TEST(RetryState, NoAttemptStartsAfterTheTimeBudget) {
    const RetryPolicy p =
        policy(Duration::millis(20), 2.0, Duration::millis(300), 0, Duration::seconds(1));
    const Duration attempt_takes = Duration::millis(30);
    uint64_t gave_up_early = 0;  // with some budget left, because the drawn delay did not fit
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        Rng rng = Rng::root(seed).fork("retry");
        const Time started = Time::zero();
        RetryState s(p, started);
        Time now = started + attempt_takes;  // the first attempt failed
        while (const std::optional<Duration> d = s.next(now, rng)) {
            now += *d;
            ASSERT_LT(now - started, p.elapsed_max)
                << "seed " << seed;  // the attempt starts in time
            now += attempt_takes;
        }
        gave_up_early += (now - started < p.elapsed_max) ? 1 : 0;
        EXPECT_GE(s.attempts(), 4u) << "seed " << seed;  // 1s holds at least 4 of 30ms + <=20..80ms
    }
    EXPECT_GT(gave_up_early, 0u);
}

// The state drives a real retry loop in a simulated fiber: an operation that fails three times
// then succeeds, with sleeps on virtual time between attempts.
TEST(RetryState, DrivesARetryLoopOnSimulatedTime) {
    sim::Simulation sim(sim::testing::options(5));
    std::vector<Time> attempt_at;
    bool succeeded = false;
    sim::testing::start_process(sim, "n1", "client", [&](sim::Env& env) {
        RetryState retry(RetryPolicy{}, env.kernel().now());
        while (true) {
            attempt_at.push_back(env.kernel().now());
            if (attempt_at.size() == 4) {
                succeeded = true;
                return;
            }
            const std::optional<Duration> d = retry.next(env.kernel().now(), env.rng());
            if (!d) return;
            env.kernel().sleep_for(*d);
        }
    });
    sim.run_until(Time::zero() + Duration::seconds(10));
    ASSERT_TRUE(succeeded);
    ASSERT_EQ(attempt_at.size(), 4u);
    for (size_t i = 1; i < attempt_at.size(); ++i) {
        const Duration gap = attempt_at[i] - attempt_at[i - 1];
        EXPECT_LE(gap, backoff_ceiling(RetryPolicy{}, static_cast<uint32_t>(i))) << i;
    }
}

// Whether validate(p) complains about `field`.
bool names(const RetryPolicy& p, const std::string& field) {
    return validate(p).find(field + ":") != std::string::npos;
}

TEST(RetryPolicy, ValidateNamesTheOffendingField) {
    const Duration ms1 = Duration::millis(1), s1 = Duration::seconds(1);
    EXPECT_EQ(validate(RetryPolicy{}), "");
    EXPECT_TRUE(names(policy(Duration::millis(-1), 2.0, s1), "base"));
    EXPECT_TRUE(names(policy(ms1, 0.5, s1), "multiplier"));
    EXPECT_TRUE(names(policy(ms1, std::numeric_limits<double>::infinity(), s1), "multiplier"));
    EXPECT_TRUE(names(policy(Duration::seconds(2), 2.0, s1), "cap"));
    EXPECT_TRUE(names(policy(ms1, 2.0, s1, 5, Duration{}), "elapsed_max"));
}

}  // namespace
}  // namespace stormlog::system::resilience
