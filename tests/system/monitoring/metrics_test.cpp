// Counters, gauges and the registry: values, what a gauge remembers, stable references and a
// deterministic summary.

#include "system/monitoring/metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stormlog::system::monitoring {
namespace {

sim::Time at_ms(int64_t ms) {
    return sim::Time::zero() + sim::Duration::millis(ms);
}

TEST(Counter, StartsAtZeroAndAddsOneOrN) {
    Counter c;
    EXPECT_EQ(c.value(), 0u);
    c.add();
    c.add(41);
    EXPECT_EQ(c.value(), 42u);
}

TEST(Gauge, RemembersValueMaxAndWhenItLastChanged) {
    Gauge g;
    EXPECT_FALSE(g.has_value());
    g.set(at_ms(10), -3);
    EXPECT_TRUE(g.has_value());
    EXPECT_EQ(g.value(), -3);
    EXPECT_EQ(g.max(), -3);  // the first value is the max, even below zero
    g.set(at_ms(20), 7.5);
    g.set(at_ms(30), 2);
    EXPECT_EQ(g.value(), 2);
    EXPECT_EQ(g.max(), 7.5);
    EXPECT_EQ(g.changed_at(), at_ms(30));
}

TEST(Gauge, SettingTheSameValueIsNotAChange) {
    Gauge g;
    g.set(at_ms(10), 4);
    g.set(at_ms(50), 4);
    EXPECT_EQ(g.changed_at(), at_ms(10));
    g.set(at_ms(60), 5);
    EXPECT_EQ(g.changed_at(), at_ms(60));
}

TEST(Metrics, SameNameSameMetricAndReferencesSurviveLaterInsertions) {
    Metrics m;
    Counter& appends = m.counter("appends");
    Gauge& lag = m.gauge("lag");
    Histogram& latency = m.histogram("latency");
    for (int i = 0; i < 200; ++i) {
        m.counter("c" + std::to_string(i));
        m.gauge("g" + std::to_string(i));
        m.histogram("h" + std::to_string(i));
    }
    appends.add(3);
    lag.set(at_ms(1), 9);
    latency.record(5);
    EXPECT_EQ(&m.counter("appends"), &appends);
    EXPECT_EQ(m.find_counter("appends")->value(), 3u);
    EXPECT_EQ(m.find_gauge("lag")->value(), 9);
    EXPECT_EQ(m.find_histogram("latency")->count(), 1u);
}

TEST(Metrics, FindDoesNotCreateAndKindsHaveSeparateNames) {
    Metrics m;
    EXPECT_EQ(m.find_counter("x"), nullptr);
    EXPECT_EQ(m.find_gauge("x"), nullptr);
    EXPECT_EQ(m.find_histogram("x"), nullptr);
    m.counter("x").add(2);
    EXPECT_NE(m.find_counter("x"), nullptr);
    EXPECT_EQ(m.find_gauge("x"), nullptr);
    EXPECT_EQ(m.describe().size(), 1u);
}

TEST(Metrics, DescribeIsOneLinePerMetricSortedByName) {
    Metrics m;
    m.histogram("latency_ns").record(1000);
    m.gauge("unset_gauge");
    m.gauge("lag").set(at_ms(1500), 2.5);
    m.counter("appends").add(7);
    m.counter("lag").add(1);  // the same name in another kind sorts by kind
    const std::vector<std::string> expected = {
        "counter appends 7",
        "counter lag 1",
        "gauge lag value=2.5 max=2.5 changed_at=1.5s",
        "histogram latency_ns count=1 min=1000 p50=1000 p90=1000 p99=1000 max=1000 mean=1000",
        "gauge unset_gauge unset",
    };
    EXPECT_EQ(m.describe(), expected);
}

}  // namespace
}  // namespace stormlog::system::monitoring
