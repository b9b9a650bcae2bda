#include <gtest/gtest.h>

#include "sim/env.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

TEST(Scheduler, SleepAdvancesVirtualTimeOnly) {
    Simulation sim(testing::options());
    std::vector<int64_t> woke_at_ms;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (int i = 0; i < 3; ++i) {
            env.sleep(ms(100));
            woke_at_ms.push_back(env.now().ns() / 1'000'000);
        }
    });
    sim.run_until(at_ms(1000));
    EXPECT_EQ(woke_at_ms, (std::vector<int64_t>{100, 200, 300}));
    EXPECT_EQ(sim.now(), at_ms(1000));
}

TEST(Scheduler, ReadyFibersRunFifoByDefault) {
    Simulation sim(testing::options());
    std::vector<int> order;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (int i = 0; i < 5; ++i) env.spawn([&order, i] { order.push_back(i); });
    });
    sim.run_until(at_ms(1));
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Scheduler, FuzzedSchedulingShufflesReadyFibersDeterministically) {
    auto run = [](uint64_t seed) {
        Simulation sim(testing::options(seed, /*fuzz=*/true));
        std::vector<int> order;
        testing::start_process(sim, "n1", "p", [&](Env& env) {
            for (int i = 0; i < 8; ++i) env.spawn([&order, i] { order.push_back(i); });
        });
        sim.run_until(at_ms(1));
        return order;
    };
    EXPECT_EQ(run(3), run(3));
    bool some_seed_differs = false;
    for (uint64_t seed = 1; seed < 20 && !some_seed_differs; ++seed)
        some_seed_differs = run(seed) != run(seed + 1);
    EXPECT_TRUE(some_seed_differs);
    std::vector<int> sorted = run(5);
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(Scheduler, EventsAtTheSameInstantFireInScheduleOrder) {
    Simulation sim(testing::options());
    std::vector<int> order;
    for (int i = 0; i < 4; ++i) sim.schedule_at(at_ms(10), [&order, i] { order.push_back(i); });
    sim.run_until(at_ms(10));
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Scheduler, RunUntilStopsBeforeLaterEventsAndResumesThem) {
    Simulation sim(testing::options());
    int fired = 0;
    sim.schedule_at(at_ms(10), [&] { ++fired; });
    sim.schedule_at(at_ms(30), [&] { ++fired; });
    sim.run_until(at_ms(20));
    EXPECT_EQ(fired, 1);
    EXPECT_EQ(sim.now(), at_ms(20));
    sim.run_until(at_ms(40));
    EXPECT_EQ(fired, 2);
}

TEST(Scheduler, ManyFibersInterleaveOnVirtualTime) {
    Simulation sim(testing::options());
    std::vector<std::pair<int64_t, int>> log;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (int f = 0; f < 3; ++f) {
            env.spawn([&log, env, f] {
                for (int i = 0; i < 3; ++i) {
                    env.sleep(ms(10 * (f + 1)));
                    log.emplace_back(env.now().ns() / 1'000'000, f);
                }
            });
        }
    });
    sim.run_until(at_ms(1000));
    // Ties at one instant go to the wake-up scheduled first (f1's 20 ms was set at 0 ms, f0's at
    // 10).
    std::vector<std::pair<int64_t, int>> expected = {{10, 0}, {20, 1}, {20, 0}, {30, 2}, {30, 0},
                                                     {40, 1}, {60, 2}, {60, 1}, {90, 2}};
    EXPECT_EQ(log, expected);
}

TEST(Scheduler, RequestStopEndsTheRunAndALaterRunContinues) {
    Simulation sim(testing::options());
    int ticks = 0;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (;;) {
            env.sleep(ms(1));
            if (++ticks == 5) env.kernel().request_stop();
        }
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(ticks, 5);
    EXPECT_EQ(sim.now(), at_ms(5));
    sim.run_until(at_ms(10));
    EXPECT_EQ(ticks, 10);
}

TEST(Scheduler, AnHourOfSimulatedSleepIsFast) {
    // A simulated hour of 1 ms sleeps: 3.6 million wake-ups. Correctness only; speed is measured by
    // `stormlog bench kernel`, never asserted in a test.
    Simulation sim(testing::options());
    int64_t wakes = 0;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (;;) {
            env.sleep(Duration::seconds(1));
            ++wakes;
        }
    });
    sim.run_until(Time::zero() + Duration::minutes(60));
    EXPECT_EQ(wakes, 3600);
}

TEST(Scheduler, UncaughtExceptionInAFiberFailsTheRun) {
    Simulation sim(testing::options());
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.sleep(ms(5));
        throw std::runtime_error("boom");
    });
    sim.run_until(at_ms(100));
    ASSERT_TRUE(sim.failed());
    EXPECT_EQ(sim.failures()[0].property, "sim.fiber_exception");
    EXPECT_NE(sim.failures()[0].message.find("boom"), std::string::npos);
    EXPECT_EQ(sim.failures()[0].at, at_ms(5));
}

TEST(Scheduler, TwoSimulationsInOneThreadDoNotInterfere) {
    Simulation a(testing::options(1));
    Simulation b(testing::options(2));
    int a_ticks = 0, b_ticks = 0;
    testing::start_process(a, "n1", "p", [&](Env& env) {
        for (;;) {
            env.sleep(ms(1));
            ++a_ticks;
        }
    });
    testing::start_process(b, "n1", "p", [&](Env& env) {
        for (;;) {
            env.sleep(ms(2));
            ++b_ticks;
        }
    });
    a.run_until(at_ms(10));
    b.run_until(at_ms(10));
    a.run_until(at_ms(20));
    EXPECT_EQ(a_ticks, 20);
    EXPECT_EQ(b_ticks, 5);
}

}  // namespace
}  // namespace stormlog::sim
