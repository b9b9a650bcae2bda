// BUGGIFY points: off unless the run asks (and then no draw at all: the trace is what it was
// without the point), on in a seeded share of runs per point, decided by the point's name and
// the seed alone, and silent once the run switches it off.

#include "sim/buggify.hpp"

#include <gtest/gtest.h>

#include "sim/env.hpp"
#include "sim/simulation.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

constexpr BuggifyPoint k_short{"test.short_sleep", "a fiber sleeps 1ms instead of 5ms", 0.5};
constexpr BuggifyPoint k_other{"test.other", "never changes anything", 0.5};
constexpr BuggifyPoint k_short_again{"test.short_sleep", "", 0.5};

struct Outcome {
    uint64_t hash = 0;
    int fired = 0;
    std::vector<std::pair<std::string, uint64_t>> listed;
};

// A fiber sleeps 20 times, 1 ms when `k_short` fires, else 5 ms; the trace records each wake.
Outcome run(uint64_t seed, bool buggify, bool with_points = true, bool evaluate_other = false,
            Time disable_at = Time::max()) {
    SimulationOptions o = testing::options();
    o.seed = seed;
    o.buggify = buggify;
    Simulation sim(o);
    Outcome out;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (int i = 0; i < 20; ++i) {
            if (evaluate_other) (void)SL_BUGGIFY(k_other);
            const bool fires = with_points && SL_BUGGIFY(k_short);
            out.fired += fires ? 1 : 0;
            env.sleep(fires ? ms(1) : ms(5));
            env.record(1, static_cast<uint64_t>(i));
        }
    });
    if (disable_at == Time::zero()) sim.buggify().disable();
    if (disable_at != Time::max()) sim.schedule_at(disable_at, [&] { sim.buggify().disable(); });
    sim.run_until(at_ms(1000));
    out.hash = sim.trace().hash();
    out.listed = sim.buggify().fired();
    return out;
}

// The first seed (of 1..200) whose run activates `k_short`.
uint64_t active_seed() {
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        if (run(seed, true).fired > 0) return seed;
    }
    return 0;
}

TEST(Buggify, OffItNeverFiresAndDrawsNothing) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        const Outcome off = run(seed, false);
        EXPECT_EQ(off.fired, 0);
        EXPECT_TRUE(off.listed.empty());
        EXPECT_EQ(off.hash, run(seed, false, /*with_points=*/false).hash)
            << "a point in a run without BUGGIFY changed the trace";
    }
}

TEST(Buggify, OnEachPointIsActiveInASeededShareOfRuns) {
    int active = 0;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        const Outcome on = run(seed, true);
        // The one point evaluated is listed when active (and only then), with its count.
        ASSERT_LE(on.listed.size(), 1u);
        if (on.listed.empty()) {
            EXPECT_EQ(on.fired, 0);
            continue;
        }
        ++active;
        EXPECT_EQ(on.listed[0].first, "test.short_sleep");
        EXPECT_EQ(static_cast<uint64_t>(on.fired), on.listed[0].second);
        EXPECT_EQ(on.hash, run(seed, true).hash) << "seed " << seed << " did not replay";
    }
    // A quarter of 200 runs, give or take: a point never active, or always, would be a bug.
    EXPECT_GT(active, 25);
    EXPECT_LT(active, 80);
}

TEST(Buggify, ActiveRunsFireSometimesAndChangeTheRun) {
    const uint64_t seed = active_seed();
    ASSERT_NE(seed, 0u) << "no seed in 1..200 activated the point";
    const Outcome on = run(seed, true);
    EXPECT_GT(on.fired, 2);
    EXPECT_LT(on.fired, 18) << "fires is 0.5 per evaluation, not always";
    EXPECT_NE(on.hash, run(seed, false).hash);
}

TEST(Buggify, OnePointsDrawsNeverShiftAnothers) {
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        EXPECT_EQ(run(seed, true).fired, run(seed, true, true, /*evaluate_other=*/true).fired)
            << "seed " << seed;
    }
}

TEST(Buggify, DisabledMidRunItFiresNoMore) {
    const uint64_t seed = active_seed();
    ASSERT_NE(seed, 0u);
    // Disabled before the run starts, the point never fires.
    EXPECT_EQ(run(seed, true, true, false, at_ms(0)).fired, 0);
    EXPECT_GT(run(seed, true, true, false, at_ms(30)).fired, 0);
    EXPECT_LT(run(seed, true, true, false, at_ms(30)).fired, run(seed, true).fired);
}

TEST(Buggify, PointsOfOneNameShareTheirDecision) {
    SimulationOptions o = testing::options();
    o.buggify = true;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        o.seed = seed;
        Simulation sim(o);
        bool a = false;
        bool b = false;
        testing::start_process(sim, "n1", "p", [&](Env&) {
            for (int i = 0; i < 50; ++i) {
                a = SL_BUGGIFY(k_short) || a;
                b = SL_BUGGIFY(k_short_again) || b;
            }
        });
        sim.run_until(at_ms(10));
        EXPECT_EQ(a, b) << "seed " << seed;
        EXPECT_EQ(sim.buggify().fired().size(), a ? 1u : 0u) << "one point, listed when active";
    }
}

TEST(Buggify, OutsideASimulationItNeverFires) {
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(SL_BUGGIFY(k_short));
}

}  // namespace
}  // namespace stormlog::sim
