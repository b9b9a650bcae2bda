// The recording a run's report is drawn from: bounded series, state tracks, leaderships and the
// recovery figures of fault windows.

#include "system/monitoring/recording.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace stormlog::system::monitoring {
namespace {

using sim::Duration;
using sim::Time;

Time at_ms(int64_t ms) {
    return Time::zero() + Duration::millis(ms);
}

TEST(CoarseHistogram, PercentilesAreWithinOneSlotAndNeverAboveTheMax) {
    CoarseHistogram h;
    for (int64_t v = 1; v <= 1000; ++v) h.record(v * 1000);  // 1 ms .. 1 s
    EXPECT_EQ(h.count(), 1000u);
    const int64_t p50 = h.percentile(50);
    EXPECT_GE(p50, 500'000);
    EXPECT_LE(p50, 500'000 * 109 / 100);
    EXPECT_EQ(h.percentile(100), 1'000'000);
    EXPECT_LE(h.percentile(0), 1000 * 109 / 100);
    CoarseHistogram empty;
    EXPECT_EQ(empty.percentile(99), 0);
}

TEST(CoarseHistogram, SmallValuesAreExactAndHugeOnesShareTheLastSlot) {
    CoarseHistogram h;
    h.record(0);
    h.record(7);
    EXPECT_EQ(h.percentile(50), 0);
    EXPECT_EQ(h.percentile(100), 7);
    h.record(INT64_MAX / 2);
    EXPECT_EQ(h.percentile(100), INT64_MAX / 2);
}

TEST(Series, CountsOperationsInTheBucketOfTheirEnd) {
    Series s(Duration::millis(100), 100);
    s.op(at_ms(0), at_ms(50), OpOutcome::ok);
    s.op(at_ms(90), at_ms(150), OpOutcome::fail);
    s.op(at_ms(100), at_ms(199), OpOutcome::unknown);
    ASSERT_EQ(s.buckets().size(), 2u);
    EXPECT_EQ(s.buckets()[0].ok, 1u);
    EXPECT_EQ(s.buckets()[1].fail, 1u);
    EXPECT_EQ(s.buckets()[1].unknown, 1u);
    EXPECT_EQ(s.buckets()[1].latency.count(), 2u);
}

// A long run keeps at most max_buckets buckets: the width doubles and the counts survive.
TEST(Series, CoarsensInsteadOfGrowingPastItsBound) {
    Series s(Duration::millis(100), 10);
    const size_t g = s.gauge("lag");
    uint64_t ops = 0;
    for (int64_t ms = 0; ms < 24 * 3600 * 1000; ms += 997) {
        s.op(at_ms(ms), at_ms(ms), OpOutcome::ok);
        s.sample(g, at_ms(ms), static_cast<double>(ms));
        ++ops;
    }
    EXPECT_LE(s.buckets().size(), 10u);
    uint64_t counted = 0;
    for (const Series::Bucket& b : s.buckets()) counted += b.ok;
    EXPECT_EQ(counted, ops);
    // The gauge keeps the last sample of each (wider) bucket.
    const std::vector<double>& v = s.gauge_values(g);
    ASSERT_EQ(v.size(), s.buckets().size());
    EXPECT_FALSE(std::isnan(v.back()));
    EXPECT_GE(v.back(), 24.0 * 3600 * 1000 - 997 - s.width().ns() / 1e6);
}

TEST(Series, UnsampledBucketsReadAsNaN) {
    Series s(Duration::millis(100), 100);
    const size_t g = s.gauge("depth");
    s.sample(g, at_ms(250), 3);
    s.extend_to(at_ms(500));
    ASSERT_EQ(s.gauge_values(g).size(), 5u);
    EXPECT_TRUE(std::isnan(s.gauge_values(g)[0]));
    EXPECT_EQ(s.gauge_values(g)[2], 3);
    EXPECT_TRUE(std::isnan(s.gauge_values(g)[4]));
}

TEST(Recording, TracksKeepOneSpanPerChange) {
    Recording r;
    const size_t t = r.add_track("nodes", "n1", at_ms(0), "up");
    r.set_state(t, at_ms(10), "up");  // no change
    r.set_state(t, at_ms(20), "crashed");
    r.set_state(t, at_ms(30), "up");
    r.set_state(t, at_ms(30), "paused");  // the later change at one instant holds
    ASSERT_EQ(r.tracks()[t].spans.size(), 3u);
    EXPECT_EQ(r.state_names()[r.tracks()[t].spans[2].state], "paused");
}

TEST(Recording, WindowsCountOperationsAndTheFirstCommitAfterTheirHeal) {
    Recording r;
    const size_t w = r.open_window(at_ms(100));
    r.op(at_ms(90), at_ms(150), OpOutcome::ok);
    r.op(at_ms(90), at_ms(160), OpOutcome::fail);
    r.commit(0, 5, at_ms(170));  // before the heal: not a recovery
    r.close_window(w, at_ms(200));
    r.op(at_ms(200), at_ms(210), OpOutcome::fail);  // after: not counted
    EXPECT_FALSE(r.windows()[w].first_commit.has_value());
    r.commit(1, 5, at_ms(250));  // not higher: no commit progress
    EXPECT_FALSE(r.windows()[w].first_commit.has_value());
    r.commit(1, 6, at_ms(300));
    EXPECT_EQ(r.windows()[w].ops, 2u);
    EXPECT_EQ(r.windows()[w].ops_ok, 1u);
    ASSERT_TRUE(r.windows()[w].first_commit.has_value());
    EXPECT_EQ(*r.windows()[w].first_commit, Duration::millis(100));
}

TEST(Recording, AStableLeaderHoldsTheHighestTermForASecond) {
    Recording r;
    r.leader_started(0, 1, at_ms(0));
    r.leader_started(1, 2, at_ms(5000));  // n1 is now stale (cut off), still leading term 1
    r.leader_ended(1, at_ms(5500));       // n2 crashes soon after
    r.leader_started(2, 3, at_ms(7000));  // n3 leads for good
    const Time end = at_ms(20000);
    // Healed at 4.5 s: n1 led term 1 but term 2 came at 5 s, and n2 held only 0.5 s.
    ASSERT_TRUE(r.stable_leader_after(at_ms(4500), end).has_value());
    EXPECT_EQ(*r.stable_leader_after(at_ms(4500), end), Duration::millis(2500));
    // Healed at 1 s: n1 holds the highest term until 5 s.
    EXPECT_EQ(*r.stable_leader_after(at_ms(1000), end), Duration{});
    // No leader at all after a heal at the very end.
    Recording none;
    EXPECT_FALSE(none.stable_leader_after(at_ms(1000), end).has_value());
}

TEST(Recording, ALeaderThatEndsWithTheRunCountsAsStable) {
    Recording r;
    r.leader_started(0, 1, at_ms(9500));
    EXPECT_EQ(*r.stable_leader_after(at_ms(9000), at_ms(10000)), Duration::millis(500));
}

}  // namespace
}  // namespace stormlog::system::monitoring

namespace stormlog::system::monitoring {
namespace {

// Past the leaderships' budget the leader after a heal may be one left out: unknown, not "none".
TEST(Recording, LeadershipsPastTheirBudgetMakeStableLeaderUnknown) {
    Recording r;
    for (size_t i = 0; i < Recording::k_max_leaderships; ++i)
        r.leader_started(0, i + 1, Time::zero() + Duration::millis(static_cast<int64_t>(i)));
    EXPECT_TRUE(r.stable_leader_after(Time::zero(), Time::zero() + Duration::seconds(100)));
    EXPECT_FALSE(r.leaderships_dropped());
    r.leader_started(1, Recording::k_max_leaderships + 1, Time::zero() + Duration::seconds(50));
    EXPECT_TRUE(r.leaderships_dropped());
    EXPECT_EQ(r.dropped(), 1u);
    EXPECT_FALSE(r.stable_leader_after(Time::zero(), Time::zero() + Duration::seconds(100)));
}

// A state that changes and changes back at one instant leaves no zero-length span.
TEST(Recording, AChangeUndoneAtTheSameInstantLeavesNoSpan) {
    Recording r;
    const size_t t = r.add_track("nodes", "n1", Time::zero(), "up");
    r.set_state(t, Time::zero() + Duration::millis(5), "crashed");
    r.set_state(t, Time::zero() + Duration::millis(5), "up");
    ASSERT_EQ(r.tracks()[t].spans.size(), 1u);
    EXPECT_EQ(r.state_names()[r.tracks()[t].spans[0].state], "up");
}

}  // namespace
}  // namespace stormlog::system::monitoring
