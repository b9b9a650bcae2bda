// JitterTest and RetryChecker: waits drawn as full jitter pass; waits of zero, waits that never
// grow and waits of the whole ceiling fail; hard limits are named.

#include "properties/jitter_test.hpp"

#include <gtest/gtest.h>

#include "properties/resilience/retry_checker.hpp"
#include "sim/rng.hpp"

namespace {

using stormlog::properties::JitterTest;
using stormlog::properties::resilience::RetryChecker;
using stormlog::sim::Duration;
using stormlog::sim::Rng;
using stormlog::sim::Time;
using stormlog::system::resilience::RetryPolicy;

Duration ceiling(uint64_t retry) {
    return Duration::millis(10) * (int64_t{1} << std::min<uint64_t>(retry - 1, 5));
}

TEST(JitterTest, UniformWaitsPassOverManySeeds) {
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        Rng rng = Rng::root(seed);
        JitterTest t;
        for (int i = 0; i < 400; ++i) {
            const uint64_t retry = 1 + rng.below(7);
            t.add(retry, rng.between(Duration{}, ceiling(retry)), ceiling(retry));
        }
        EXPECT_FALSE(t.verdict()) << "seed " << seed << ": " << *t.verdict();
    }
}

TEST(JitterTest, WaitsThatAreZeroNeverGrowOrFillTheCeilingFail) {
    Rng rng = Rng::root(7);
    JitterTest zero, flat, full;
    for (int i = 0; i < 200; ++i) {
        const uint64_t retry = 1 + rng.below(4);
        zero.add(retry, Duration{}, ceiling(retry));
        flat.add(retry, rng.between(Duration::nanos(1), ceiling(1)), ceiling(retry));
        full.add(retry, ceiling(retry), ceiling(retry));
    }
    ASSERT_TRUE(zero.verdict());
    EXPECT_NE(zero.verdict()->find("retries at once"), std::string::npos) << *zero.verdict();
    ASSERT_TRUE(flat.verdict());
    EXPECT_NE(flat.verdict()->find("too soon"), std::string::npos) << *flat.verdict();
    ASSERT_TRUE(full.verdict());
    EXPECT_NE(full.verdict()->find("not jittered"), std::string::npos) << *full.verdict();
}

TEST(JitterTest, FewSamplesJudgeNothingButZeros) {
    JitterTest t;
    for (int i = 0; i < 10; ++i) t.add(1, ceiling(1), ceiling(1));
    EXPECT_FALSE(t.verdict());
    for (int i = 0; i < 3; ++i) t.add(1, Duration{}, ceiling(1));
    EXPECT_TRUE(t.verdict());
}

TEST(RetryChecker, JudgesTheWaitFromFailureToNextAttempt) {
    const RetryPolicy p{3, Duration::millis(10), 2.0, Duration::millis(100), Duration::max()};
    RetryChecker c;
    int loop = 0;
    const Time t0 = Time::zero() + Duration::seconds(1);
    c.on_retry_attempt(&loop, p, t0, t0);
    c.on_retry_failed(&loop, t0 + Duration::millis(1));
    c.on_retry_attempt(&loop, p, t0, t0 + Duration::millis(6));  // 5 ms of a 10 ms ceiling
    c.on_retry_failed(&loop, t0 + Duration::millis(7));
    c.on_retry_attempt(&loop, p, t0, t0 + Duration::millis(27));  // 20 ms: the whole 2nd ceiling
    EXPECT_FALSE(c.verdict());
    c.on_retry_failed(&loop, t0 + Duration::millis(30));
    c.on_retry_attempt(&loop, p, t0, t0 + Duration::millis(31));  // a 4th attempt of at most 3
    ASSERT_TRUE(c.verdict());
    EXPECT_NE(c.verdict()->find("attempt 4 of at most 3"), std::string::npos) << *c.verdict();
}

TEST(RetryChecker, AWaitPastItsCeilingIsNamed) {
    const RetryPolicy p{0, Duration::millis(10), 2.0, Duration::millis(100), Duration::max()};
    RetryChecker c;
    int loop = 0;
    const Time t0 = Time::zero();
    c.on_retry_attempt(&loop, p, t0, t0);
    c.on_retry_failed(&loop, t0);
    c.on_retry_attempt(&loop, p, t0, t0 + Duration::millis(11));
    ASSERT_TRUE(c.verdict());
    EXPECT_NE(c.verdict()->find("past its ceiling of 10ms"), std::string::npos) << *c.verdict();
    c.on_retry_over(&loop);
}

}  // namespace
