#include "sim/clock.hpp"

#include <gtest/gtest.h>

#include "sim/env.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

TEST(Clock, OffsetDriftAndJump) {
    Clock c;
    EXPECT_EQ(c.local(at_ms(100)), at_ms(100));
    c.set_offset(ms(50));
    EXPECT_EQ(c.local(at_ms(100)), at_ms(150));
    c.set_drift(at_ms(100), 1000);               // +1000 ppm: 1 ms per second fast
    EXPECT_EQ(c.local(at_ms(100)), at_ms(150));  // continuous at the change
    EXPECT_EQ(c.local(at_ms(1100)), at_ms(1151));
    c.jump(Duration::seconds(-1));
    EXPECT_EQ(c.local(at_ms(1100)), at_ms(151));
    c.reset();
    EXPECT_EQ(c.local(at_ms(7)), at_ms(7));
}

TEST(Clock, AFastClockFiresItsTimersEarlyInTrueTime) {
    Clock c;
    c.set_drift(Time::zero(), 1'000'000);  // runs at double speed
    EXPECT_EQ(c.true_duration(Duration::seconds(2)), Duration::seconds(1));
    EXPECT_EQ(c.true_duration(Duration::nanos(-5)), Duration::nanos(0));
}

TEST(Clock, NodeSleepsRunOnTheNodesClock) {
    Simulation sim(testing::options());
    Node& node = sim.add_node("n1");
    node.clock().set_drift(Time::zero(), 1'000'000);
    Time true_wake, local_wake;
    Process& p = sim.add_process(node, "p", [&](Env& env) {
        env.sleep(Duration::seconds(2));
        true_wake = env.kernel().now();
        local_wake = env.now();
    });
    sim.start(p);
    sim.run_until(at_ms(5000));
    EXPECT_EQ(true_wake, at_ms(1000));
    EXPECT_EQ(local_wake, at_ms(2000));
}

}  // namespace
}  // namespace stormlog::sim
