// The time limiter: a call within the limit gives its result; a slower one gives nothing at the
// limit but runs on to completion; a crash ends both.

#include "system/resilience/time_limiter.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "tests/sim/world.hpp"

namespace stormlog::system::resilience {
namespace {

using sim::Env;
using sim::testing::at_ms;
using sim::testing::ms;

TEST(TimeLimiter, ACallWithinTheLimitGivesItsResult) {
    sim::Simulation sim(sim::testing::options());
    std::optional<int> got;
    int64_t returned_at_ms = -1;
    sim::testing::start_process(sim, "n1", "p", [&](Env& env) {
        got = with_timeout<int>(env, ms(100), [&env] {
            env.sleep(ms(30));
            return 7;
        });
        returned_at_ms = env.kernel().now().ns() / 1'000'000;
    });
    sim.run_until(at_ms(500));
    EXPECT_EQ(got, 7);
    EXPECT_EQ(returned_at_ms, 30);
}

TEST(TimeLimiter, ASlowCallIsAbandonedAtTheLimitAndRunsOn) {
    sim::Simulation sim(sim::testing::options());
    std::optional<int> got = 0;
    int64_t returned_at_ms = -1;
    auto finished = std::make_shared<bool>(false);
    sim::testing::start_process(sim, "n1", "p", [&](Env& env) {
        got = with_timeout<int>(env, ms(100), [&env, finished] {
            env.sleep(ms(250));
            *finished = true;
            return 7;
        });
        returned_at_ms = env.kernel().now().ns() / 1'000'000;
        env.sleep(ms(1000));
    });
    sim.run_until(at_ms(200));
    EXPECT_FALSE(got.has_value());
    EXPECT_EQ(returned_at_ms, 100);
    EXPECT_FALSE(*finished);
    sim.run_until(at_ms(300));
    EXPECT_TRUE(*finished);  // abandoned, not cancelled
}

TEST(TimeLimiter, ACrashEndsTheCallerAndTheCall) {
    sim::Simulation sim(sim::testing::options());
    auto finished = std::make_shared<bool>(false);
    bool returned = false;
    sim::Process& p = sim::testing::start_process(sim, "n1", "p", [&](Env& env) {
        (void)with_timeout<int>(env, ms(100), [&env, finished] {
            env.sleep(ms(50));
            *finished = true;
            return 1;
        });
        returned = true;
    });
    sim.run_until(at_ms(20));
    sim.crash(p);
    sim.run_until(at_ms(500));
    EXPECT_FALSE(returned);
    EXPECT_FALSE(*finished);
    EXPECT_EQ(p.live_fibers(), 0u);
}

}  // namespace
}  // namespace stormlog::system::resilience
