// Bulkhead: the concurrency limit, waiting up to wait_max and refusal, hand-over in arrival order,
// release by RAII (destruction, move, unwinding), and crashes of waiting or just-granted fibers.

#include "system/resilience/bulkhead.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/sim/world.hpp"

namespace stormlog::system::resilience {
namespace {

using sim::Env;
using sim::Simulation;
using sim::testing::at_ms;
using sim::testing::ms;

int64_t now_ms(const Env& env) {
    return env.kernel().now().ns() / 1'000'000;
}

BulkheadConfig config(uint32_t concurrent_max, sim::Duration wait_max) {
    BulkheadConfig c;
    c.concurrent_max = concurrent_max;
    c.wait_max = wait_max;
    return c;
}

// A process on node n1 (one node, many processes).
struct World {
    Simulation sim{sim::testing::options()};
    sim::Node& node = sim.add_node("n1");

    sim::Process& start(const std::string& name, sim::ProcessEntry entry) {
        sim::Process& p = sim.add_process(node, name, std::move(entry));
        sim.start(p);
        return p;
    }
};

TEST(Bulkhead, AdmitsUpToTheLimitAndRefusesTheRestAtOnceWithoutAWait) {
    World w;
    Bulkhead b(w.sim, config(2, sim::Duration{}));
    std::vector<bool> held;
    uint32_t in_use_during = 0;
    w.start("p", [&](Env& env) {
        for (int i = 0; i < 3; ++i) {
            env.spawn([&] {
                Bulkhead::Slot s = b.enter();
                held.push_back(s.held());
                env.sleep(ms(10));
            });
        }
        env.sleep(ms(5));
        in_use_during = b.in_use();
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(held, (std::vector<bool>{true, true, false}));
    EXPECT_EQ(in_use_during, 2u);
    EXPECT_EQ(b.in_use(), 0u);
    EXPECT_EQ(b.refused(), 1u);
}

TEST(Bulkhead, AWaiterGetsTheSlotWhenItIsReleased) {
    World w;
    Bulkhead b(w.sim, config(1, ms(50)));
    int64_t got_at_ms = -1;
    w.start("p", [&](Env& env) {
        env.spawn([&] {
            Bulkhead::Slot s = b.enter();
            env.sleep(ms(20));
        });
        env.spawn([&] {
            Bulkhead::Slot s = b.enter();
            if (s.held()) got_at_ms = now_ms(env);
        });
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(got_at_ms, 20);
    EXPECT_EQ(b.refused(), 0u);
    EXPECT_EQ(b.in_use(), 0u);
}

TEST(Bulkhead, AWaiterIsRefusedAtMaxWait) {
    World w;
    Bulkhead b(w.sim, config(1, ms(10)));
    int64_t refused_at_ms = -1;
    size_t waiting_during = 0;
    w.start("p", [&](Env& env) {
        env.spawn([&] {
            Bulkhead::Slot s = b.enter();
            env.sleep(ms(30));
        });
        env.spawn([&] {
            Bulkhead::Slot s = b.enter();
            if (!s.held()) refused_at_ms = now_ms(env);
        });
        env.sleep(ms(5));
        waiting_during = b.waiting();
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(refused_at_ms, 10);
    EXPECT_EQ(waiting_during, 1u);
    EXPECT_EQ(b.waiting(), 0u);
    EXPECT_EQ(b.refused(), 1u);
    EXPECT_EQ(b.in_use(), 0u);
}

TEST(Bulkhead, WaitersAreServedInArrivalOrderAndANewcomerCannotOvertake) {
    World w;
    Bulkhead b(w.sim, config(1, ms(100)));
    std::vector<std::pair<int, int64_t>> order;
    bool newcomer_held = true;
    w.start("p", [&](Env& env) {
        Bulkhead::Slot first = b.enter();
        for (int i = 1; i <= 3; ++i) {
            env.spawn([&, i] {
                Bulkhead::Slot s = b.enter();
                EXPECT_TRUE(s.held());
                order.emplace_back(i, now_ms(env));
                env.sleep(ms(5));
            });
        }
        env.sleep(ms(10));
        first.release();
        newcomer_held = b.try_enter().held();  // the slot already went to the first waiter
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(order, (std::vector<std::pair<int, int64_t>>{{1, 10}, {2, 15}, {3, 20}}));
    EXPECT_FALSE(newcomer_held);
    EXPECT_EQ(b.refused(), 1u);
    EXPECT_EQ(b.in_use(), 0u);
}

TEST(Bulkhead, SlotsReleaseOnDestructionMoveAndExplicitRelease) {
    World w;
    Bulkhead b(w.sim, config(2, sim::Duration{}));
    std::vector<uint32_t> in_use;
    w.start("p", [&](Env&) {
        {
            Bulkhead::Slot a = b.enter();
            in_use.push_back(b.in_use());  // 1
            Bulkhead::Slot moved = std::move(a);
            EXPECT_FALSE(a.held());  // NOLINT(bugprone-use-after-move): the point
            EXPECT_TRUE(moved.held());
            in_use.push_back(b.in_use());  // still 1
        }
        in_use.push_back(b.in_use());  // 0: destroyed
        Bulkhead::Slot c = b.enter();
        Bulkhead::Slot d = b.enter();
        in_use.push_back(b.in_use());  // 2
        c = std::move(d);              // c's old slot is released
        in_use.push_back(b.in_use());  // 1
        c.release();
        c.release();                   // a second release is a no-op
        in_use.push_back(b.in_use());  // 0
        EXPECT_FALSE(Bulkhead::Slot().held());
    });
    w.sim.run_until(at_ms(1));
    EXPECT_EQ(in_use, (std::vector<uint32_t>{1, 1, 0, 2, 1, 0}));
    EXPECT_EQ(b.refused(), 0u);
}

TEST(Bulkhead, AFiberKilledWhileHoldingASlotGivesItBack) {
    World w;
    Bulkhead b(w.sim, config(1, ms(100)));
    int64_t waiter_got_at_ms = -1;
    sim::Process& holder = w.start("holder", [&](Env& env) {
        Bulkhead::Slot s = b.enter();
        env.sleep(ms(1000));
    });
    w.start("waiter", [&](Env& env) {
        env.sleep(ms(1));
        Bulkhead::Slot s = b.enter();
        if (s.held()) waiter_got_at_ms = now_ms(env);
    });
    w.sim.run_until(at_ms(20));
    w.sim.crash(holder);
    w.sim.run_until(at_ms(200));
    EXPECT_EQ(waiter_got_at_ms, 20);
    EXPECT_EQ(b.in_use(), 0u);
}

TEST(Bulkhead, AFiberKilledWhileWaitingLeavesNoTrace) {
    World w;
    Bulkhead b(w.sim, config(1, ms(1000)));
    bool unwound = false, returned = false;
    w.start("holder", [&](Env& env) {
        Bulkhead::Slot s = b.enter();
        env.sleep(ms(50));
    });
    sim::Process& victim = w.start("victim", [&](Env&) {
        struct Guard {
            bool* flag;
            ~Guard() { *flag = true; }
        } guard{&unwound};
        Bulkhead::Slot s = b.enter();
        returned = true;
    });
    w.sim.run_until(at_ms(10));
    EXPECT_EQ(b.waiting(), 1u);
    w.sim.crash(victim);
    w.sim.run_until(at_ms(11));
    EXPECT_TRUE(unwound);
    EXPECT_FALSE(returned);
    EXPECT_EQ(b.waiting(), 0u);
    EXPECT_EQ(b.in_use(), 1u);
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(b.in_use(), 0u);  // the holder's release did not go to the dead waiter
    EXPECT_EQ(b.refused(), 0u);
}

// The holder hands its slot to the first waiter and crashes that waiter's process before it runs:
// the granted slot must pass on to the next waiter, not leak.
TEST(Bulkhead, AFiberKilledJustAfterBeingGrantedASlotPassesItOn) {
    World w;
    Bulkhead b(w.sim, config(1, ms(1000)));
    bool victim_returned = false;
    int64_t second_got_at_ms = -1;
    sim::Process* victim = nullptr;
    w.start("holder", [&](Env& env) {
        Bulkhead::Slot s = b.enter();
        env.sleep(ms(20));
        s.release();  // granted to the victim, which has not run yet
        env.kernel().crash(*victim);
    });
    victim = &w.start("victim", [&](Env& env) {
        env.sleep(ms(1));
        Bulkhead::Slot s = b.enter();
        victim_returned = true;
    });
    w.start("second", [&](Env& env) {
        env.sleep(ms(2));
        Bulkhead::Slot s = b.enter();
        if (s.held()) second_got_at_ms = now_ms(env);
        env.sleep(ms(5));
    });
    w.sim.run_until(at_ms(100));
    EXPECT_FALSE(victim_returned);
    EXPECT_EQ(second_got_at_ms, 20);
    EXPECT_EQ(b.in_use(), 0u);
    EXPECT_EQ(b.refused(), 0u);
}

TEST(BulkheadConfig, ValidateNamesTheOffendingField) {
    EXPECT_EQ(validate(BulkheadConfig{}), "");
    EXPECT_NE(validate(config(0, ms(1))).find("concurrent_max"), std::string::npos);
    EXPECT_NE(validate(config(1, ms(-1))).find("wait_max"), std::string::npos);
}

}  // namespace
}  // namespace stormlog::system::resilience
