// Histogram precision: against the exact nearest-rank percentile of the recorded values, every
// answer is an upper bound within 1/128 relative error, percentile(100) is the true max,
// answers are monotone in p, and count/min/max are exact. The same checker is then shown to
// reject deliberately imprecise answers.

#include "system/monitoring/histogram.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/int128.hpp"
#include "sim/rng.hpp"

namespace stormlog::system::monitoring {
namespace {

constexpr int64_t k_int64_max = std::numeric_limits<int64_t>::max();

// ---- Unit checks -------------------------------------------------------------------------------

TEST(Histogram, EmptyReportsZeros) {
    Histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.min(), 0);
    EXPECT_EQ(h.max(), 0);
    EXPECT_EQ(h.percentile(50), 0);
    EXPECT_EQ(h.mean(), 0);
}

TEST(Histogram, SmallValuesAreExact) {
    Histogram h;
    for (int64_t v = 0; v < Histogram::k_exact_limit; ++v) h.record(v);
    EXPECT_EQ(h.percentile(0), 0);
    EXPECT_EQ(h.percentile(50), 127);  // rank 128 of 256
    EXPECT_EQ(h.percentile(100), 255);
    EXPECT_DOUBLE_EQ(h.mean(), 127.5);
}

TEST(Histogram, BucketsAboveTheExactRangeSpanOneHundredTwentyEighthOfTheirPowerOfTwo) {
    EXPECT_EQ(Histogram::lowest_equivalent(255), 255);
    EXPECT_EQ(Histogram::highest_equivalent(255), 255);
    EXPECT_EQ(Histogram::lowest_equivalent(257), 256);
    EXPECT_EQ(Histogram::highest_equivalent(256), 257);
    EXPECT_EQ(Histogram::lowest_equivalent(1'000'000), 999'424);  // 1e6 in [2^19, 2^20): width 4096
    EXPECT_EQ(Histogram::highest_equivalent(1'000'000), 999'424 + 4095);
    EXPECT_EQ(Histogram::highest_equivalent(k_int64_max), k_int64_max);
    EXPECT_EQ(Histogram::lowest_equivalent(k_int64_max), int64_t{255} << 55);
}

TEST(Histogram, PercentileIsTheBucketUpperBoundButNeverAboveMax) {
    Histogram h;
    h.record(1'000'000);
    h.record(2'000'000);
    EXPECT_EQ(h.percentile(50), Histogram::highest_equivalent(1'000'000));
    EXPECT_EQ(h.percentile(100), 2'000'000);
}

TEST(Histogram, ExtremesAreRecordedWithoutOverflow) {
    Histogram h;
    h.record(k_int64_max);
    h.record(k_int64_max);
    h.record(0);
    EXPECT_EQ(h.min(), 0);
    EXPECT_EQ(h.max(), k_int64_max);
    EXPECT_EQ(h.percentile(100), k_int64_max);
    EXPECT_EQ(h.percentile(0), 0);
    EXPECT_DOUBLE_EQ(h.mean(), 2.0 * static_cast<double>(k_int64_max) / 3.0);
}

// ---- The checker -------------------------------------------------------------------------------

// The exact nearest-rank percentile of `sorted`.
int64_t exact_percentile(const std::vector<int64_t>& sorted, double p) {
    const double wanted = std::ceil(p / 100 * static_cast<double>(sorted.size()));
    size_t rank = wanted < 1 ? 1 : static_cast<size_t>(wanted);
    rank = std::min(rank, sorted.size());
    return sorted[rank - 1];
}

const std::vector<double> k_fixed_ps = {0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 100};

// The first way `answer` (percentile as reported) and `h` disagree with the exact values, or
// nullopt. `ps` is sorted.
std::optional<std::string> check(std::vector<int64_t> values, const std::vector<double>& ps,
                                 const Histogram& h, const std::function<int64_t(double)>& answer) {
    std::sort(values.begin(), values.end());
    if (h.count() != values.size()) return "count is " + std::to_string(h.count());
    if (h.min() != values.front()) return "min is " + std::to_string(h.min());
    if (h.max() != values.back()) return "max is " + std::to_string(h.max());
    if (answer(100) < values.back()) return "percentile(100) is below the max";
    sim::int128 sum = 0;
    for (int64_t v : values) sum += v;
    const double mean = static_cast<double>(sum) / static_cast<double>(values.size());
    if (std::abs(h.mean() - mean) > 1e-9 * mean) return "mean is " + std::to_string(h.mean());
    int64_t previous = 0;
    for (double p : ps) {
        const int64_t got = answer(p);
        const int64_t exact = exact_percentile(values, p);
        const std::string at = " at p=" + std::to_string(p) + ": " + std::to_string(got) +
                               " for exact " + std::to_string(exact);
        if (got < exact) return "below the exact value" + at;
        if (got > values.back()) return "above the max" + at;
        if (static_cast<sim::int128>(got - exact) * 128 > exact) return "beyond 1/128 error" + at;
        if (got < previous) return "not monotone in p" + at;
        previous = got;
    }
    return std::nullopt;
}

// Values spread over every magnitude: a random bit width, then a random value of that width.
rc::Gen<int64_t> gen_value() {
    return rc::gen::apply(
        [](int bits, uint64_t raw) { return static_cast<int64_t>(raw >> (64 - bits)); },
        rc::gen::inRange(1, 64), rc::gen::arbitrary<uint64_t>());
}

RC_GTEST_PROP(HistogramProperty,
              PercentilesAreUpperBoundsWithinOneHundredTwentyEighthAndExactCounts, ()) {
    const auto values = *rc::gen::nonEmpty(rc::gen::container<std::vector<int64_t>>(gen_value()));
    std::vector<double> ps = k_fixed_ps;
    const auto extra = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100'001));
    for (int k : extra) ps.push_back(static_cast<double>(k) / 1000);
    std::sort(ps.begin(), ps.end());
    Histogram h;
    for (int64_t v : values) h.record(v);
    const auto violation = check(values, ps, h, [&](double p) { return h.percentile(p); });
    if (violation) RC_LOG() << *violation << "\n";
    RC_ASSERT(!violation.has_value());
}

// ---- The checker rejects deliberately imprecise answers
// ------------------------------------------

// The first violation over seeded value sets, or nullopt. `distort` turns the histogram's answer
// into the broken variant's.
std::optional<std::string> first_violation(const std::function<int64_t(int64_t)>& distort) {
    constexpr uint64_t k_seeds_max = 30;
    for (uint64_t seed = 1; seed <= k_seeds_max; ++seed) {
        sim::Rng rng = sim::Rng::root(seed).fork("values");
        std::vector<int64_t> values(1 + rng.below(200));
        for (int64_t& v : values) v = static_cast<int64_t>(rng.next_u64() >> (1 + rng.below(63)));
        Histogram h;
        for (int64_t v : values) h.record(v);
        auto v = check(values, k_fixed_ps, h, [&](double p) { return distort(h.percentile(p)); });
        if (v) return "seed " + std::to_string(seed) + ": " + *v;
    }
    return std::nullopt;
}

TEST(HistogramDeliberateBug, TheCheckerPassesTheTrueAnswers) {
    EXPECT_EQ(first_violation([](int64_t v) { return v; }), std::nullopt);
}

TEST(HistogramDeliberateBug, ReportingBucketLowerBoundsIsCaught) {
    const auto v = first_violation([](int64_t x) { return Histogram::lowest_equivalent(x); });
    ASSERT_TRUE(v.has_value());
    EXPECT_NE(v->find("below"), std::string::npos) << *v;
}

TEST(HistogramDeliberateBug, TwoPercentCoarserBucketsAreCaught) {
    const auto v = first_violation(
        [](int64_t x) { return x > k_int64_max - x / 50 ? k_int64_max : x + x / 50; });
    ASSERT_TRUE(v.has_value());
    EXPECT_NE(v->find("beyond 1/128 error"), std::string::npos) << *v;
}

}  // namespace
}  // namespace stormlog::system::monitoring
