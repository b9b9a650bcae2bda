#include "sim/future.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

TEST(Future, ValueArrivesBeforeTheTimeout) {
    Simulation sim(testing::options());
    FutureStatus status = FutureStatus::broken;
    int value = 0;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        auto promise = std::make_shared<Promise<int>>(env.kernel());
        Future<int> f = promise->get_future();
        env.after(ms(20), [promise] { promise->set_value(99); });
        status = f.wait_for(ms(50));
        value = f.value();
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(status, FutureStatus::ready);
    EXPECT_EQ(value, 99);
}

TEST(Future, TimesOutAndALateValueIsHarmless) {
    Simulation sim(testing::options());
    FutureStatus status = FutureStatus::ready;
    Time when;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        auto promise = std::make_shared<Promise<int>>(env.kernel());
        Future<int> f = promise->get_future();
        env.after(ms(80), [promise] { promise->set_value(1); });
        status = f.wait_for(ms(50));
        when = env.kernel().now();
        env.sleep(ms(100));
        EXPECT_TRUE(f.ready());
    });
    sim.run_until(at_ms(300));
    EXPECT_EQ(status, FutureStatus::timeout);
    EXPECT_EQ(when, at_ms(50));
}

TEST(Future, ABrokenPromiseWakesTheWaiter) {
    Simulation sim(testing::options());
    FutureStatus status = FutureStatus::ready;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        auto promise = std::make_shared<std::optional<Promise<int>>>(Promise<int>(env.kernel()));
        Future<int> f = (*promise)->get_future();
        env.after(ms(10), [promise] { promise->reset(); });
        status = f.wait();
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(status, FutureStatus::broken);
}

TEST(Future, AlreadySetFutureDoesNotBlock) {
    Simulation sim(testing::options());
    Promise<int> p(sim);
    Future<int> f = p.get_future();
    EXPECT_TRUE(p.set_value(3));
    EXPECT_FALSE(p.set_value(4));
    EXPECT_TRUE(f.ready());
    EXPECT_EQ(f.value(), 3);
}

}  // namespace
}  // namespace stormlog::sim
