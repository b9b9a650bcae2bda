#include "sim/rng.hpp"

#include <gtest/gtest.h>

#include <set>

namespace stormlog::sim {
namespace {

TEST(Rng, SameSeedSameSequence) {
    Rng a = Rng::root(42), b = Rng::root(42);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(Rng, DifferentSeedsDiffer) {
    Rng a = Rng::root(1), b = Rng::root(2);
    EXPECT_NE(a.next_u64(), b.next_u64());
}

TEST(Rng, ForkIgnoresHowMuchTheParentDrew) {
    Rng parent = Rng::root(7);
    Rng early = parent.fork("network");
    for (int i = 0; i < 1000; ++i) parent.next_u64();
    Rng late = parent.fork("network");
    for (int i = 0; i < 10; ++i) EXPECT_EQ(early.next_u64(), late.next_u64());
}

TEST(Rng, SiblingStreamsAreIndependent) {
    Rng root = Rng::root(7);
    Rng a = root.fork("a"), b = root.fork("b");
    EXPECT_NE(a.next_u64(), b.next_u64());
    EXPECT_NE(root.fork(1).next_u64(), root.fork(2).next_u64());
}

TEST(Rng, BelowStaysInRangeAndCoversIt) {
    Rng r = Rng::root(3);
    std::set<uint64_t> seen;
    for (int i = 0; i < 1000; ++i) {
        uint64_t v = r.below(7);
        ASSERT_LT(v, 7u);
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 7u);
    for (int i = 0; i < 1000; ++i) {
        int64_t v = r.between(-3, 3);
        ASSERT_GE(v, -3);
        ASSERT_LE(v, 3);
    }
}

TEST(Rng, ChanceAndExponentialHaveTheRightMeans) {
    Rng r = Rng::root(9);
    int hits = 0;
    int64_t total_ns = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        hits += r.chance(0.25) ? 1 : 0;
        total_ns += r.exponential(Duration::millis(10)).ns();
    }
    EXPECT_NEAR(hits / double(n), 0.25, 0.01);
    EXPECT_NEAR(total_ns / double(n) / 1e6, 10.0, 0.2);
    EXPECT_FALSE(r.chance(0.0));
    EXPECT_TRUE(r.chance(1.0));
}

}  // namespace
}  // namespace stormlog::sim
