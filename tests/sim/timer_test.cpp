#include "sim/timer.hpp"

#include <gtest/gtest.h>

#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

TEST(Timers, FireAtTheirTime) {
    Simulation sim(testing::options());
    std::vector<int64_t> fired_ms;
    sim.schedule_at(at_ms(30), [&] { fired_ms.push_back(sim.now().ns() / 1'000'000); });
    sim.schedule_at(at_ms(10), [&] { fired_ms.push_back(sim.now().ns() / 1'000'000); });
    sim.run_until(at_ms(100));
    EXPECT_EQ(fired_ms, (std::vector<int64_t>{10, 30}));
    EXPECT_EQ(sim.events(), 2u);
}

TEST(Timers, CancelledTimerNeverFires) {
    Simulation sim(testing::options());
    bool fired = false;
    TimerId id = sim.schedule_at(at_ms(10), [&] { fired = true; });
    EXPECT_TRUE(sim.cancel(id));
    EXPECT_FALSE(sim.cancel(id));  // twice is harmless
    sim.run_until(at_ms(100));
    EXPECT_FALSE(fired);
}

TEST(Timers, CancelledByAnotherTimerAtTheSameInstant) {
    // The edge: B is due at the same instant as A, and A cancels B as B is about to fire.
    Simulation sim(testing::options());
    bool b_fired = false;
    TimerId b;
    sim.schedule_at(at_ms(10), [&] { EXPECT_TRUE(sim.cancel(b)); });
    b = sim.schedule_at(at_ms(10), [&] { b_fired = true; });
    sim.run_until(at_ms(100));
    EXPECT_FALSE(b_fired);
}

TEST(Timers, CancelFromInsideItsOwnCallbackIsANoOp) {
    Simulation sim(testing::options());
    TimerId id;
    int fired = 0;
    id = sim.schedule_at(at_ms(10), [&] {
        ++fired;
        EXPECT_FALSE(sim.cancel(id));  // already firing
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(fired, 1);
}

TEST(Timers, AStaleIdNeverCancelsANewTimerInTheSameSlot) {
    Simulation sim(testing::options());
    TimerId old_id = sim.schedule_at(at_ms(1), [] {});
    sim.run_until(at_ms(2));
    bool fired = false;
    TimerId new_id = sim.schedule_at(at_ms(5), [&] { fired = true; });
    EXPECT_EQ(old_id.index, new_id.index);  // the slot was reused
    EXPECT_FALSE(sim.cancel(old_id));
    sim.run_until(at_ms(10));
    EXPECT_TRUE(fired);
}

TEST(Timers, ProcessTimerDiesWithItsProcess) {
    Simulation sim(testing::options());
    int fired = 0;
    Process& p = testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.after(ms(50), [&] { ++fired; });
        env.sleep(Duration::seconds(10));
    });
    sim.run_until(at_ms(10));
    sim.crash(p);
    sim.restart(p);  // a new incarnation must not inherit the old timer
    sim.run_until(at_ms(200));
    EXPECT_EQ(fired, 1);  // only the new incarnation's timer fired
}

TEST(Timers, RaiiTimerRearmsAndCancelsOnDestruction) {
    Simulation sim(testing::options());
    std::vector<int64_t> fired_ms;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        {
            Timer t(env);
            t.arm(ms(10), [&] { fired_ms.push_back(-1); });
            t.arm(ms(20), [&] { fired_ms.push_back(env.now().ns() / 1'000'000); });  // replaces
            env.sleep(ms(30));
            t.arm(ms(10), [&] { fired_ms.push_back(-2); });
        }  // destroyed before it fires
        env.sleep(ms(100));
    });
    sim.run_until(at_ms(500));
    EXPECT_EQ(fired_ms, (std::vector<int64_t>{20}));
}

}  // namespace
}  // namespace stormlog::sim
