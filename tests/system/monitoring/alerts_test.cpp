// Alert rules: pending -> firing only after for_duration of continuous truth as seen by
// evaluate(), a dip resets pending, resolve on the first false evaluation, re-firing is a second
// firing; below-comparisons; missing and never-set gauges count as false. A property compares
// the evaluator with a model that reads the firings off the whole sample sequence at once.

#include "system/monitoring/alerts.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace stormlog::system::monitoring {
namespace {

sim::Time at_ms(int64_t ms) {
    return sim::Time::zero() + sim::Duration::millis(ms);
}

AlertRule lag_above(double threshold, int64_t for_ms) {
    return AlertRule{"lag-high", "lag", Comparison::above, threshold,
                     sim::Duration::millis(for_ms)};
}

// A gauge and one rule over it; step() sets the gauge and evaluates at the same instant.
struct World {
    Metrics metrics;
    Alerts alerts{metrics};
    explicit World(AlertRule rule) { alerts.add(std::move(rule)); }
    void step(int64_t ms, double value) {
        metrics.gauge("lag").set(at_ms(ms), value);
        alerts.evaluate(at_ms(ms));
    }
};

// ---- validate ----------------------------------------------------------------------------------

TEST(AlertRuleValidate, AcceptsAWellFormedRuleAndNamesTheBadField) {
    EXPECT_EQ(validate(lag_above(10, 500)), "");
    AlertRule r = lag_above(10, 500);
    r.name = "";
    EXPECT_NE(validate(r).find("'name'"), std::string::npos);
    r = lag_above(10, 500);
    r.gauge = "";
    EXPECT_NE(validate(r).find("'gauge'"), std::string::npos);
    r = lag_above(std::numeric_limits<double>::quiet_NaN(), 500);
    EXPECT_NE(validate(r).find("'threshold'"), std::string::npos);
    r = lag_above(10, -1);
    EXPECT_NE(validate(r).find("'for_duration'"), std::string::npos);
    r = lag_above(10, 500);
    r.comparison = static_cast<Comparison>(7);
    EXPECT_NE(validate(r).find("'comparison'"), std::string::npos);
}

// ---- Evaluation --------------------------------------------------------------------------------

TEST(Alerts, FiresOnlyAfterForDurationOfContinuousTruth) {
    World w(lag_above(10, 300));
    w.step(0, 5);
    w.step(100, 11);  // pending since 100ms
    w.step(200, 12);
    w.step(399, 12);
    EXPECT_EQ(w.alerts.fired(), 0u);
    EXPECT_TRUE(w.alerts.firing_now().empty());
    w.step(400, 13);  // exactly 300ms of truth
    ASSERT_EQ(w.alerts.fired(), 1u);
    const AlertFiring& f = w.alerts.firings()[0];
    EXPECT_EQ(f.rule, "lag-high");
    EXPECT_EQ(f.fired_at, at_ms(400));
    EXPECT_EQ(f.resolved_at, std::nullopt);
    EXPECT_EQ(f.value_at_fire, 13);
    EXPECT_EQ(w.alerts.firing_now(), std::vector<std::string>{"lag-high"});
}

TEST(Alerts, ZeroForDurationFiresAtTheFirstTrueEvaluation) {
    World w(lag_above(10, 0));
    w.step(0, 10);  // not strictly above
    EXPECT_EQ(w.alerts.fired(), 0u);
    w.step(50, 10.5);
    ASSERT_EQ(w.alerts.fired(), 1u);
    EXPECT_EQ(w.alerts.firings()[0].fired_at, at_ms(50));
}

TEST(Alerts, ADipResetsPending) {
    World w(lag_above(10, 300));
    w.step(0, 20);
    w.step(250, 5);   // dip: pending resets
    w.step(300, 20);  // pending again since 300ms
    w.step(500, 20);  // 500ms after the first rise, but only 200ms of this run
    EXPECT_EQ(w.alerts.fired(), 0u);
    w.step(600, 20);
    ASSERT_EQ(w.alerts.fired(), 1u);
    EXPECT_EQ(w.alerts.firings()[0].fired_at, at_ms(600));
}

TEST(Alerts, ResolvesAtTheFirstFalseEvaluationAndReFiringIsASecondFiring) {
    World w(lag_above(10, 100));
    w.step(0, 20);
    w.step(100, 20);
    w.step(200, 20);  // still firing: no new entry
    w.step(300, 1);
    ASSERT_EQ(w.alerts.fired(), 1u);
    EXPECT_EQ(w.alerts.resolved(), 1u);
    EXPECT_EQ(w.alerts.firings()[0].resolved_at, at_ms(300));
    EXPECT_TRUE(w.alerts.firing_now().empty());
    w.step(400, 30);
    w.step(450, 30);
    EXPECT_EQ(w.alerts.fired(), 1u);  // pending anew: the earlier run does not count
    w.step(500, 30);
    ASSERT_EQ(w.alerts.fired(), 2u);
    EXPECT_EQ(w.alerts.resolved(), 1u);
    EXPECT_EQ(w.alerts.firings()[1].fired_at, at_ms(500));
    EXPECT_EQ(w.alerts.firings()[1].value_at_fire, 30);
    EXPECT_EQ(w.alerts.firings()[1].resolved_at, std::nullopt);
}

TEST(Alerts, BelowComparisonFiresWhenTheValueIsUnderTheThreshold) {
    Metrics metrics;
    Alerts alerts(metrics);
    alerts.add(AlertRule{"no-leader", "leaders", Comparison::below, 1, sim::Duration::millis(200)});
    Gauge& leaders = metrics.gauge("leaders");
    leaders.set(at_ms(0), 1);
    alerts.evaluate(at_ms(0));
    leaders.set(at_ms(100), 0);
    alerts.evaluate(at_ms(100));
    alerts.evaluate(at_ms(200));
    EXPECT_EQ(alerts.fired(), 0u);
    alerts.evaluate(at_ms(300));
    ASSERT_EQ(alerts.fired(), 1u);
    EXPECT_EQ(alerts.firings()[0].value_at_fire, 0);
    leaders.set(at_ms(350), 1);
    alerts.evaluate(at_ms(400));
    EXPECT_EQ(alerts.firings()[0].resolved_at, at_ms(400));
}

TEST(Alerts, AMissingOrNeverSetGaugeCountsAsFalse) {
    Metrics metrics;
    Alerts alerts(metrics);
    alerts.add(AlertRule{"no-leader", "leaders", Comparison::below, 1, sim::Duration{}});
    alerts.evaluate(at_ms(0));  // no such gauge
    metrics.gauge("leaders");   // exists, never set: reads as 0 but is no observation
    alerts.evaluate(at_ms(100));
    EXPECT_EQ(alerts.fired(), 0u);
    metrics.gauge("leaders").set(at_ms(150), 0);
    alerts.evaluate(at_ms(200));
    EXPECT_EQ(alerts.fired(), 1u);
}

TEST(Alerts, SeveralRulesFireInOrderAndFiringNowIsSorted) {
    Metrics metrics;
    Alerts alerts(metrics);
    alerts.add(AlertRule{"z-lag", "lag", Comparison::above, 5, sim::Duration{}});
    alerts.add(AlertRule{"a-depth", "depth", Comparison::above, 5, sim::Duration::millis(100)});
    metrics.gauge("lag").set(at_ms(0), 9);
    metrics.gauge("depth").set(at_ms(0), 9);
    alerts.evaluate(at_ms(0));
    alerts.evaluate(at_ms(100));
    ASSERT_EQ(alerts.fired(), 2u);
    EXPECT_EQ(alerts.firings()[0].rule, "z-lag");
    EXPECT_EQ(alerts.firings()[1].rule, "a-depth");
    EXPECT_EQ(alerts.firing_now(), (std::vector<std::string>{"a-depth", "z-lag"}));
}

// ---- Property: the evaluator agrees with a whole-trace model -----------------------------------

struct Sample {
    sim::Time at;
    bool truth = false;
    double value = 0;
};

// Splits the samples into maximal runs of truth; in each run the rule fires at the first sample
// at least for_duration after the run's first sample, and resolves at the sample ending the run.
std::vector<AlertFiring> model_firings(const std::vector<Sample>& samples, const AlertRule& rule) {
    std::vector<AlertFiring> firings;
    size_t i = 0;
    while (i < samples.size()) {
        if (!samples[i].truth) {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < samples.size() && samples[end].truth) ++end;
        for (size_t k = i; k < end; ++k) {
            if (samples[k].at - samples[i].at < rule.for_duration) continue;
            AlertFiring f{rule.name, samples[k].at, std::nullopt, samples[k].value};
            if (end < samples.size()) f.resolved_at = samples[end].at;
            firings.push_back(f);
            break;
        }
        i = end;
    }
    return firings;
}

RC_GTEST_PROP(AlertsProperty, FiringsMatchTheWholeTraceModel, ()) {
    const AlertRule rule{"r", "g", *rc::gen::element(Comparison::above, Comparison::below), 5,
                         sim::Duration::millis(*rc::gen::element<int64_t>(0, 100, 250, 1000))};
    // Each step advances time by 0..300 ms, maybe sets the gauge to 0..10, and evaluates.
    const auto steps = *rc::gen::container<std::vector<std::tuple<int, bool, int>>>(rc::gen::tuple(
        rc::gen::inRange(0, 301), rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 11)));
    Metrics metrics;
    Alerts alerts(metrics);
    alerts.add(rule);
    std::vector<Sample> samples;
    sim::Time now = sim::Time::zero();
    for (const auto& [advance_ms, sets, value] : steps) {
        now += sim::Duration::millis(advance_ms);
        if (sets) metrics.gauge("g").set(now, value);
        alerts.evaluate(now);
        const Gauge* g = metrics.find_gauge("g");
        const double v = g != nullptr ? g->value() : 0;
        const bool truth = g != nullptr && (rule.comparison == Comparison::above ? v > 5 : v < 5);
        samples.push_back(Sample{now, truth, v});
    }
    const auto expected = model_firings(samples, rule);
    const auto& got = alerts.firings();
    RC_ASSERT(got.size() == expected.size());
    size_t resolved = 0;
    for (size_t k = 0; k < got.size(); ++k) {
        RC_ASSERT(got[k].rule == expected[k].rule);
        RC_ASSERT(got[k].fired_at == expected[k].fired_at);
        RC_ASSERT(got[k].resolved_at == expected[k].resolved_at);
        RC_ASSERT(got[k].value_at_fire == expected[k].value_at_fire);
        resolved += got[k].resolved_at ? 1 : 0;
    }
    RC_ASSERT(alerts.resolved() == resolved);
    const bool open = !expected.empty() && !expected.back().resolved_at;
    RC_ASSERT(alerts.firing_now() ==
              (open ? std::vector<std::string>{"r"} : std::vector<std::string>{}));
}

}  // namespace
}  // namespace stormlog::system::monitoring
